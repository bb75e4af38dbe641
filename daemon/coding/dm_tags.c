#include "coding/dm_tags.h"

#include "demarche/dm_mem.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Salience: weighted mentions (title 3, lead 2, body 1), normalised. */
void dm_tags_salience(dm_result_t *r)
{
        double total = 0;
        size_t i;
        for (i = 0; i < r->entity_count; i++)
                total += r->entities[i].salience;
        for (i = 0; i < r->entity_count && total > 0; i++)
                r->entities[i].salience /= total;
}

/* A theme is tagged when its words occur at least twice in the text, or
 * once alongside an event of one of its CAMEO roots or codes. Words are
 * matched case-insensitively at word starts ("sanction" finds "sanctions"
 * and "sanctioning"). */
typedef struct dm_tags_theme {
        const char *name;
        const char *words; /* '|'-separated word starts */
        const char *codes; /* '|'-separated CAMEO code prefixes, "" none */
} dm_tags_theme_t;

static const dm_tags_theme_t dm_tags_themes[] = {
    {"sanctions", "sanction|embargo|blacklist|asset freeze|export ban|export control", "163|162"},
    {"negotiations", "talks|negotiat|peace treaty|peace agreement|peace deal|mediat|summit",
     "03|04|164|165"},
    {"territorial_dispute",
     "territorial|disputed|sovereignty|annex|occupied territor|border dispute|maritime claim|"
     "islands claimed|claims to the",
     ""},
    {"armed_conflict",
     "troops|military|airstrike|air strike|shelling|offensive|invasion|invaded|ceasefire|"
     "war |fighting|missile|bombing|casualties",
     "18|19|20|15"},
    {"trade", "trade|tariff|export|import|most favored nation|most favoured nation|customs",
     "0211|0311"},
    {"travel_visas", "visa|travel|border crossing|passport|entry ban", ""},
    {"diplomacy", "ambassador|diplomat|embassy|envoy|foreign minist|consulate", "04|05|161|166"},
    {"nuclear", "nuclear|uranium|enrichment|warhead", ""},
    {"humanitarian", "refugee|humanitarian|aid agenc|displaced|famine|relief", "07"},
    {"elections", "election|vote|ballot|polling|referendum", ""},
    {"terrorism", "terroris|isis|islamic state|al-qaida|al-qaeda|jihadi", ""},
    {"energy", "oil|gas|pipeline|energy|opec", ""},
    {"human_rights", "human rights|torture|political prisoner|crackdown|detention", ""},
};

#define DM_TAGS_NTHEMES   (sizeof(dm_tags_themes) / sizeof(dm_tags_themes[0]))
#define DM_TAGS_MAX_WORDS 128

/* The themes' words by first letter, built once: the text is then read in
 * one pass, each word start checked against the few words of its letter. */
typedef struct dm_tags_word {
        const char *w;
        size_t len;
        size_t theme;
} dm_tags_word_t;

static dm_tags_word_t dm_tags_words[DM_TAGS_MAX_WORDS];
static size_t dm_tags_first[257]; /* words of first byte c: [first[c], first[c + 1]) */
static pthread_once_t dm_tags_once = PTHREAD_ONCE_INIT;

static void dm_tags_index(void)
{
        size_t n = 0, i, c;
        for (c = 0; c < 256; c++) {
                dm_tags_first[c] = n;
                for (i = 0; i < DM_TAGS_NTHEMES; i++) {
                        const char *w = dm_tags_themes[i].words;
                        while (*w) {
                                const char *e = strchr(w, '|');
                                size_t l = e ? (size_t)(e - w) : strlen(w);
                                if ((unsigned char)w[0] == c) {
                                        if (n == DM_TAGS_MAX_WORDS)
                                                abort(); /* the table above outgrew the index */
                                        dm_tags_words[n].w = w;
                                        dm_tags_words[n].len = l;
                                        dm_tags_words[n].theme = i;
                                        n++;
                                }
                                w += l;
                                if (*w == '|')
                                        w++;
                        }
                }
        }
        dm_tags_first[256] = n;
}

/* Occurrences of each theme's words at word starts in text. */
static void dm_tags_theme_counts(const char *text, int *counts)
{
        const char *q;
        pthread_once(&dm_tags_once, dm_tags_index);
        for (q = text; *q; q++) {
                unsigned char c = (unsigned char)tolower((unsigned char)*q);
                size_t k;
                if (q != text && isalnum((unsigned char)q[-1]))
                        continue;
                for (k = dm_tags_first[c]; k < dm_tags_first[c + 1]; k++)
                        if (!strncasecmp(q, dm_tags_words[k].w, dm_tags_words[k].len))
                                counts[dm_tags_words[k].theme]++;
        }
}

static int dm_tags_theme_event(const dm_result_t *r, const char *codes)
{
        size_t i;
        for (i = 0; i < r->event_count && *codes; i++) {
                const char *c = codes;
                while (*c) {
                        const char *e = strchr(c, '|');
                        size_t l = e ? (size_t)(e - c) : strlen(c);
                        if (r->events[i].cameo_code && !r->events[i].historical &&
                            !strncmp(r->events[i].cameo_code, c, l))
                                return 1;
                        c += l;
                        if (*c == '|')
                                c++;
                }
        }
        return 0;
}

static int dm_tags_rank_cmp(const void *a, const void *b)
{
        const dm_country_rank_t *x = a, *y = b;
        return x->score < y->score ? 1 : x->score > y->score ? -1 : strcmp(x->code, y->code);
}

/* Document tags: the themes of the article from its words and events, and
 * the countries it is about, ranked by the salience of their mentions and
 * of their people, bodies and places. r->text, entities and events must be
 * final. */
void dm_tags_document(const dm_dict_t *dict, dm_result_t *r)
{
        size_t i, k, cap = 0;
        double total = 0;
        const char *text = r->text ? r->text : "";
        int counts[DM_TAGS_NTHEMES];
        memset(counts, 0, sizeof(counts));
        dm_tags_theme_counts(text, counts);
        for (i = 0; i < DM_TAGS_NTHEMES; i++) {
                int n = counts[i];
                if (n >= 2 || (n >= 1 && dm_tags_theme_event(r, dm_tags_themes[i].codes))) {
                        r->themes = dm_realloc(r->themes, (r->theme_count + 1) * sizeof(char *));
                        r->themes[r->theme_count++] = dm_strdup(dm_tags_themes[i].name);
                }
        }
        /* A country's own mentions count fully; its people, bodies and
         * places count half: an article quoting "the Foreign Ministry" ten
         * times is about that ministry's country. */
        for (i = 0; i < r->entity_count; i++) {
                const dm_entity_t *e = &r->entities[i];
                double w = e->type == DM_ENTITY_COUNTRY ? 1.0 : 0.5;
                dm_country_rank_t *c = NULL;
                if (!e->country || strlen(e->country) != 3)
                        continue;
                for (k = 0; k < r->country_count; k++)
                        if (!strcmp(r->countries[k].code, e->country))
                                c = &r->countries[k];
                if (!c) {
                        const dm_country_info_t *ci = dm_dict_country(dict, e->country);
                        if (!ci)
                                continue;
                        dm_grow((void **)&r->countries, &cap, r->country_count + 1,
                                sizeof(*r->countries));
                        c = &r->countries[r->country_count++];
                        c->code = dm_strdup(ci->cameo);
                        c->iso3 = dm_strdup_or_null(ci->iso3);
                        c->name = dm_strdup(ci->name);
                        c->score = 0;
                }
                c->score += w * e->salience;
                total += w * e->salience;
        }
        for (k = 0; k < r->country_count && total > 0; k++)
                r->countries[k].score /= total;
        if (r->country_count > 1)
                qsort(r->countries, r->country_count, sizeof(*r->countries), dm_tags_rank_cmp);
}
