#!/usr/bin/env python3
"""Reads a topic with Confluent's own Python client and Avro deserializer
(confluent-kafka[avro], which resolves schemas through the registry) and
prints one JSON object per record. Used by the end-to-end registry test as
the independent peer decoder.

    confluent_consume.py BOOTSTRAP TOPIC REGISTRY_URL USER:PASS COUNT
"""
import json
import sys
import time

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext


def main():
    bootstrap, topic, url, auth, count = sys.argv[1:6]
    count = int(count)
    sr = SchemaRegistryClient({"url": url, "basic.auth.user.info": auth})
    deser = AvroDeserializer(sr)
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "confluent-peer-%d" % time.time(),
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    md = c.list_topics(topic, timeout=10)
    c.assign([TopicPartition(topic, p, 0) for p in md.topics[topic].partitions])
    got, deadline = 0, time.time() + 60
    while got < count and time.time() < deadline:
        m = c.poll(1.0)
        if m is None or m.error():
            continue
        rec = deser(m.value(), SerializationContext(topic, MessageField.VALUE))
        print(json.dumps({"key": m.key().decode() if m.key() else None, "value": rec},
                         default=str))
        got += 1
    c.close()
    if got < count:
        sys.exit("confluent_consume: %d of %d records" % (got, count))


if __name__ == "__main__":
    main()
