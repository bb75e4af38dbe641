#!/usr/bin/env python3
"""Reads a topic with Confluent's own Python client and Avro deserializer
(confluent-kafka[avro], which resolves schemas through the registry) and
prints one JSON object per record. Used by the end-to-end registry tests as
the independent peer decoder.

    confluent_consume.py BOOTSTRAP TOPIC REGISTRY_URL USER:PASS|- MIN [OFFSETS]
    confluent_consume.py --end-offsets BOOTSTRAP TOPIC

Reads from OFFSETS (a JSON file {"partition": offset}; default: the
beginning) up to the end offsets the topic has when it starts, and fails if
that is fewer than MIN records or a record does not decode. --end-offsets
prints the topic's end offsets in that JSON form.
"""
import json
import sys
import time

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext


def consumer(bootstrap):
    return Consumer({"bootstrap.servers": bootstrap, "group.id": "confluent-peer-%d" % time.time(),
                     "auto.offset.reset": "earliest", "enable.auto.commit": False})


def end_offsets(c, topic):
    md = c.list_topics(topic, timeout=10)
    if topic not in md.topics or md.topics[topic].error:
        sys.exit("confluent_consume: no topic %s" % topic)
    return {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
            for p in md.topics[topic].partitions}


def main():
    if sys.argv[1] == "--end-offsets":
        c = consumer(sys.argv[2])
        print(json.dumps({str(p): o for p, o in end_offsets(c, sys.argv[3]).items()}))
        c.close()
        return
    bootstrap, topic, url, auth, count = sys.argv[1:6]
    start = {int(p): o for p, o in json.load(open(sys.argv[6])).items()} if len(sys.argv) > 6 else {}
    conf = {"url": url}
    if auth != "-":
        conf["basic.auth.user.info"] = auth
    deser = AvroDeserializer(SchemaRegistryClient(conf))
    c = consumer(bootstrap)
    end = end_offsets(c, topic)
    pos = {p: start.get(p, 0) for p in end}
    c.assign([TopicPartition(topic, p, pos[p]) for p in end if pos[p] < end[p]])
    got, deadline = 0, time.time() + 60
    while any(pos[p] < end[p] for p in end) and time.time() < deadline:
        m = c.poll(0.5)
        if m is None:
            # The consumer's position also moves past transaction markers,
            # which are never delivered.
            for tp in c.position([TopicPartition(topic, p) for p in end if pos[p] < end[p]]):
                if tp.offset >= 0:
                    pos[tp.partition] = max(pos[tp.partition], tp.offset)
            continue
        if m.error() or m.offset() >= end[m.partition()]:
            continue
        pos[m.partition()] = m.offset() + 1
        rec = deser(m.value(), SerializationContext(topic, MessageField.VALUE))
        print(json.dumps({"key": m.key().decode() if m.key() else None,
                          "schema_id": int.from_bytes(m.value()[1:5], "big"), "value": rec},
                         default=str))
        got += 1
    c.close()
    if got < int(count):
        sys.exit("confluent_consume: %d of at least %s records" % (got, count))


if __name__ == "__main__":
    main()
