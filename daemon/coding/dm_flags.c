#include "coding/dm_flags.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The month a word names (1-12), 0 for none: a full name, or its first
 * three letters with or without a period ("SEPT" too); never a longer word
 * that begins like one ("DECLARED", "MAYOR"). */
static int dm_flags_month(const char *w)
{
        static const char *m[] = {"JANUARY",   "FEBRUARY", "MARCH",    "APRIL",
                                  "MAY",       "JUNE",     "JULY",     "AUGUST",
                                  "SEPTEMBER", "OCTOBER",  "NOVEMBER", "DECEMBER"};
        size_t k, n;
        /* Called for every token, several times: the first letter first. */
        if (!w[0] || !strchr("JFMASOND", w[0]))
                return 0;
        n = strlen(w);
        if (n < 3)
                return 0;
        if (w[n - 1] == '.')
                n--;
        for (k = 0; k < 12; k++)
                if (m[k][0] == w[0] && (n == 3 || n == strlen(m[k]) || (k == 8 && n == 4)) &&
                    !strncmp(w, m[k], n))
                        return (int)k + 1;
        return 0;
}

/* Whether token i names a month as a time: the words that are also verbs
 * ("may", "march") only beside a number or after a word of time ("in
 * May", "May 2", "last March"). */
static int dm_flags_month_at(const dm_tokens_t *tk, size_t i)
{
        static const char *const before[] = {"IN", "LAST",  "NEXT", "SINCE", "UNTIL", "BY",
                                             "OF", "EARLY", "LATE", "MID",   "ON",    NULL};
        const char *w = tk->toks[i].word;
        if (!dm_flags_month(w))
                return 0;
        if (strcmp(w, "MAY") && strcmp(w, "MARCH"))
                return 1;
        return (i + 1 < tk->count && isdigit((unsigned char)tk->toks[i + 1].word[0])) ||
               (i > 0 && (isdigit((unsigned char)tk->toks[i - 1].word[0]) ||
                          dm_text_word_in(tk->toks[i - 1].word, before)));
}

static int dm_flags_year(const char *w)
{
        size_t n = strlen(w), k;
        if (n != 4)
                return 0;
        for (k = 0; k < 4; k++)
                if (!isdigit((unsigned char)w[k]))
                        return 0;
        k = (size_t)atoi(w);
        return k >= 1800 && k <= 2100 ? (int)k : 0;
}

/* Clause bounds around token t: a semicolon, or a comma followed or
 * preceded by a conjunction ("..., and has broken off"; "in 1904, and, in
 * 1929, added"). */
void dm_flags_clause(const dm_tokens_t *tk, size_t t, size_t *from, size_t *to)
{
        size_t i;
        *from = 0;
        *to = tk->count;
        for (i = t; i > 0; i--) {
                const char *w = tk->toks[i - 1].word;
                if (!strcmp(w, ";") ||
                    (!strcmp(w, ",") && i < tk->count &&
                     (!strcmp(tk->toks[i].word, "AND") || !strcmp(tk->toks[i].word, "BUT") ||
                      !strcmp(tk->toks[i].word, "WHICH") || !strcmp(tk->toks[i].word, "WHILE")))) {
                        *from = i;
                        break;
                }
        }
        for (i = t + 1; i < tk->count; i++) {
                const char *w = tk->toks[i].word;
                if (!strcmp(w, ";") || (!strcmp(w, ",") && i + 1 < tk->count &&
                                        (!strcmp(tk->toks[i + 1].word, "AND") ||
                                         !strcmp(tk->toks[i + 1].word, "BUT") ||
                                         !strcmp(tk->toks[i + 1].word, "WHICH") ||
                                         !strcmp(tk->toks[i + 1].word, "WHILE")))) {
                        *to = i;
                        break;
                }
        }
}

/* Whether tokens [from, to) anchor an event before the article's date: an
 * earlier year after "in", "between", "during", a month or a comma ("of"
 * too when wide, for a whole sentence), "last year", "years ago", or a date
 * of the article's year more than two days before it. */
static int dm_flags_anchor(const dm_tokens_t *tk, size_t from, size_t to, int art_year, int wide,
                           int art_mon, int art_day)
{
        size_t i;
        for (i = from; i < to; i++) {
                const char *w = tk->toks[i].word;
                const char *prev = i > 0 ? tk->toks[i - 1].word : "";
                const char *prev2 = i > 1 ? tk->toks[i - 2].word : "";
                int y = dm_flags_year(w), mo;
                /* "since 1904", "dating back to 1904", "until 2030" do not
                 * place the event itself in the past. */
                if (y && y < art_year && strcmp(prev, "SINCE") && strcmp(prev, "TO") &&
                    strcmp(prev, "UNTIL") && strcmp(prev, "BY") &&
                    (!strcmp(prev, "IN") || !strcmp(prev, "BETWEEN") || !strcmp(prev, "AND") ||
                     !strcmp(prev, ",") || dm_flags_month(prev) || !strcmp(prev, "DURING") ||
                     !strcmp(prev2, "IN") || (wide && !strcmp(prev, "OF"))))
                        return 1;
                /* "On May 2": a date in the article's year, more than two
                 * days before it. */
                mo = dm_flags_month(w);
                if (mo && !strcmp(prev, "ON") && i + 1 < tk->count &&
                    isdigit((unsigned char)tk->toks[i + 1].word[0])) {
                        int d = atoi(tk->toks[i + 1].word);
                        int yy = art_year;
                        if (i + 3 < tk->count && dm_flags_year(tk->toks[i + 3].word))
                                yy = dm_flags_year(tk->toks[i + 3].word);
                        if (yy < art_year || (yy == art_year &&
                                              (mo < art_mon || (mo == art_mon && d + 2 < art_day))))
                                return 1;
                }
        }
        for (i = from; i + 1 < to; i++) {
                const char *w = tk->toks[i].word, *n = tk->toks[i + 1].word;
                if (i > 0 && !strcmp(tk->toks[i - 1].word, "SINCE"))
                        continue;
                /* "last June" is before the article's month: last year's. */
                if ((!strcmp(w, "LAST") &&
                     (!strcmp(n, "YEAR") || !strcmp(n, "DECADE") || dm_flags_month(n))) ||
                    (!strcmp(n, "AGO") &&
                     (!strcmp(w, "YEARS") || !strcmp(w, "YEAR") || !strcmp(w, "DECADES"))))
                        return 1;
        }
        return 0;
}

/* Whether the sentence names a time of the article's own: a weekday,
 * "today", "this week", "last night", or the article's year. */
static int dm_flags_present(const dm_tokens_t *tk, int art_year)
{
        static const char *const now[] = {
            "MONDAY", "TUESDAY",   "WEDNESDAY", "THURSDAY",  "FRIDAY", "SATURDAY", "SUNDAY",
            "TODAY",  "YESTERDAY", "TONIGHT",   "CURRENTLY", "NOW",    "RECENTLY", NULL};
        size_t i;
        for (i = 0; i < tk->count; i++) {
                const char *w = tk->toks[i].word;
                if (dm_text_word_in(w, now) || dm_flags_year(w) == art_year)
                        return 1;
                if (i + 1 < tk->count && (!strcmp(w, "THIS") || !strcmp(w, "LAST")) &&
                    (!strcmp(tk->toks[i + 1].word, "WEEK") ||
                     !strcmp(tk->toks[i + 1].word, "MONTH") ||
                     !strcmp(tk->toks[i + 1].word, "NIGHT")))
                        return 1;
        }
        return 0;
}

/* The article's date in UTC: year, month (1-12), day. */
static void dm_flags_date(int64_t article_ms, int *y, int *m, int *d)
{
        time_t t = (time_t)(article_ms / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        *y = tm.tm_year + 1900;
        *m = tm.tm_mon + 1;
        *d = tm.tm_mday;
}

void dm_flags_event(const dm_tokens_t *tk, size_t trig, int64_t article_ms, int sentence_past,
                    int *negated, int *hypothetical, int *historical)
{
        static const char *const neg[] = {"NOT",     "NEVER",    "NO",     "N'T",   "DIDN'T",
                                          "DOESN'T", "WON'T",    "CANNOT", "CAN'T", "WOULDN'T",
                                          "REFUSED", "DECLINED", "FAILED", NULL};
        static const char *const hyp[] = {
            "IF",      "WOULD",      "COULD",     "MIGHT",       "MAY",       "SHOULD",
            "UNLESS",  "THREATENED", "THREATENS", "CONSIDERING", "CONSIDERS", "PLANS",
            "PLANNED", "PLANNING",   "PROPOSED",  "WANTS",       "READY",     "PREPARED",
            "URGED",   "CALLED",     "DEMANDED",  "HOPES",       "WILL",      "INTENDS",
            "INTEND",  "INTENDED",   NULL};
        size_t from, to, i;
        int art_year = 0, art_mon = 0, art_day = 0;
        *negated = *hypothetical = *historical = 0;
        if (trig >= tk->count)
                return;
        dm_flags_clause(tk, trig, &from, &to);
        for (i = trig >= 3 ? trig - 3 : 0; i < trig; i++)
                if (i >= from && dm_text_word_in(tk->toks[i].word, neg))
                        *negated = 1;
        /* Within the clause and back to the nearest comma: "which has
         * demanded Assad step down, initially blamed" is not hypothetical. */
        for (i = trig; i > from && i + 6 > trig; i--) {
                if (!strcmp(tk->toks[i - 1].word, ","))
                        break;
                if (dm_text_word_in(tk->toks[i - 1].word, hyp))
                        *hypothetical = 1;
        }
        /* An infinitive states an aim, not an act: "expected to hold talks". */
        if (trig > 0 && !strcmp(tk->toks[trig - 1].word, "TO"))
                *hypothetical = 1;
        if (article_ms < 0)
                return;
        dm_flags_date(article_ms, &art_year, &art_mon, &art_day);
        /* "has previously vetoed": background, not news. */
        for (i = trig > from + 3 ? trig - 3 : from; i < trig; i++)
                if (!strcmp(tk->toks[i].word, "PREVIOUSLY"))
                        *historical = 1;
        if (sentence_past || dm_flags_anchor(tk, from, to, art_year, 0, art_mon, art_day))
                *historical = 1;
}

void dm_flags_sentence(const dm_tokens_t *tk, int64_t article_ms, int *past, int *dated)
{
        static const char *const now_aux[] = {"IS",   "ARE",  "AM",   "HAS",   "HAVE", "WILL",
                                              "SAYS", "SAID", "TOLD", "ADDED", NULL};
        int y, m, d, present;
        size_t i;
        *past = *dated = 0;
        if (article_ms >= 0) {
                dm_flags_date(article_ms, &y, &m, &d);
                present = dm_flags_present(tk, y);
                /* A sentence that names an earlier year and no time of the
                 * article's own is background: "he returned in November
                 * 2015 and police arrested him", "the massacre of 1982,
                 * when the military rounded up ...". */
                *past = !present && dm_flags_anchor(tk, 0, tk->count, y, 1, m, d);
                *dated = present;
        }
        /* A sentence in the present, the perfect or the future ("has led
         * to clashes") is told from the time of writing, whatever time the
         * sentence before it was set in. */
        for (i = 0; i < tk->count && !*dated; i++)
                if (dm_flags_year(tk->toks[i].word) || dm_flags_month_at(tk, i) ||
                    dm_text_word_in(tk->toks[i].word, now_aux))
                        *dated = 1;
}
