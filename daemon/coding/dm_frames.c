#include "coding/dm_frames.h"

#include "coding/dm_flags.h"
#include "coding/dm_phrases.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A frame: TRIGGER [up to gap tokens] NOUN [up to 8 tokens] PREP TARGET,
 * with the source found by kind. Alternatives are '|'-separated, words
 * space-separated; a word ending in '*' is a stem. Nouns or preps "" mean
 * none. */
typedef enum dm_frame_kind {
        DM_FRAME_SUBJECT = 0, /* source: the clause's subject */
        DM_FRAME_NOMINAL,     /* source: the actor just before the noun */
        DM_FRAME_PASSIVE,     /* NOUN TRIGGER(...BY) SOURCE PREP TARGET */
        DM_FRAME_OBJECT,      /* target: the object right after the trigger */
        DM_FRAME_SYMMETRIC,   /* "A and B signed ...": target B */
        DM_FRAME_GAP_TARGET,  /* target: the actor between trigger and noun */
} dm_frame_kind_t;

typedef struct dm_frame_rule {
        const char *name; /* reported as the event's pattern: "frame:halt-talks" */
        const char *code;
        dm_frame_kind_t kind;
        const char *triggers;
        int gap;
        const char *nouns;
        const char *preps;
        int official; /* the source must be official: meetings and visits of
                       * private people are no diplomatic events */
} dm_frame_rule_t;

#define DM_TALKS "TALKS|NEGOTIATIONS|DIALOGUE|PEACE PROCESS|CONSULTATIONS"
#define DM_SANCT "SANCTIONS|SANCTION|EMBARGO|EMBARGOES|RESTRICTIONS|BOYCOTT|TARIFFS|TRADE BAN"
#define DM_DEAL  "AGREEMENT|TREATY|DEAL|ACCORD|PACT|MEMORANDUM|PROTOCOL|DECLARATION|CONTRACT"

static const dm_frame_rule_t dm_frame_rules[] = {
    {"halt-talks", "164", DM_FRAME_SUBJECT,
     "BROKE OFF|BROKEN OFF|BREAKS OFF|BREAK OFF|BREAKING OFF|SCRAP*|SUSPEND*|HALT*|CALLED OFF|"
     "CALLS OFF|CALL OFF|CANCEL*|WITHDREW FROM|WITHDRAWN FROM|WITHDRAWS FROM|PULLED OUT OF|"
     "PULLS OUT OF|QUIT|QUITS|WALKED OUT OF|NOT INTEND TO CONTINUE|REFUSED TO CONTINUE|"
     "FROZE|FROZEN|FREEZES|ENDED|ENDS|TERMINATED",
     4, DM_TALKS, "WITH|BETWEEN", 0},
    {"cut-ties", "161", DM_FRAME_SUBJECT,
     "SEVERED|SEVERS|SEVER|CUT|CUTS|BROKE OFF|BROKEN OFF|BREAKS OFF|DOWNGRADED|DOWNGRADES|"
     "SUSPENDED|SUSPENDS",
     3, "TIES|RELATIONS|RELATIONSHIP|RELATIONSHIPS", "WITH", 0},
    {"impose-sanctions", "163", DM_FRAME_SUBJECT,
     "IMPOSED|IMPOSES|IMPOSE|IMPOSING|SLAPPED|SLAPS|INTRODUCED|INTRODUCES|EXTENDED|EXTENDS|"
     "TIGHTENED|TIGHTENS|EXPANDED|EXPANDS|JOINED|JOINS|LEVIED|ANNOUNCED NEW|ADOPTED|APPROVED",
     5, DM_SANCT, "AGAINST|ON|OVER", 0},
    {"sanctions-imposed-by", "163", DM_FRAME_PASSIVE,
     "IMPOSED BY|INTRODUCED BY|ANNOUNCED BY|ADOPTED BY|APPLIED BY", 0, DM_SANCT, "AGAINST|ON", 0},
    {"sanctions-against", "163", DM_FRAME_NOMINAL, "", 0, DM_SANCT, "AGAINST|ON", 0},
    {"sanction-object", "163", DM_FRAME_OBJECT, "SANCTIONED|SANCTIONING|BLACKLISTED|BLACKLISTS", 0,
     "", "", 0},
    {"expel-diplomats", "166", DM_FRAME_GAP_TARGET, "EXPELLED|EXPELS|EXPEL|EXPELLING|ORDERED OUT",
     3, "DIPLOMATS|DIPLOMAT|AMBASSADOR|ENVOY|EMBASSY STAFF", "", 0},
    {"revoke-trade", "163", DM_FRAME_GAP_TARGET,
     "REVOKED|REVOKES|REVOKE|STRIPPED|STRIPS|SUSPENDED|SUSPENDS|WITHDREW|WITHDRAWS", 6,
     "TRADE STATUS|MOST FAVORED NATION|MOST FAVOURED NATION|TRADE PREFERENCES|TRADE PRIVILEGES", "",
     0},
    {"sign-agreement", "057", DM_FRAME_SYMMETRIC, "SIGNED|SIGNS|SIGN|INKED|CONCLUDED|CONCLUDES", 5,
     DM_DEAL, "WITH", 0},
    {"hold-talks", "046", DM_FRAME_SYMMETRIC, "HELD|HOLDS|HOLD", 3, DM_TALKS, "WITH", 1},
    {"visit", "042", DM_FRAME_OBJECT, "VISITED|VISITS|ARRIVED IN|TRAVELLED TO|TRAVELED TO", 0, "",
     "", 1},
    {"host", "043", DM_FRAME_OBJECT, "HOSTED|HOSTS", 0, "", "", 1},
    {"meet", "040", DM_FRAME_OBJECT, "MET WITH|MET|MEETS WITH|MEETS", 0, "", "", 1},
    {"accuse", "112", DM_FRAME_OBJECT, "ACCUSED|ACCUSES|ACCUSING|BLAMED|BLAMES", 0, "", "", 0},
    {"criticise", "111", DM_FRAME_OBJECT,
     "CRITICISED|CRITICIZED|CRITICISES|CRITICIZES|CONDEMNED|CONDEMNS|"
     "DENOUNCED|DENOUNCES|SLAMMED|SLAMS|REBUKED|DEPLORED|DEPLORES|CENSURED",
     0, "", "", 0},
    {"threaten", "130", DM_FRAME_OBJECT, "THREATENED|THREATENS|WARNED|WARNS", 0, "", "", 0},
    {"send-troops", "190", DM_FRAME_SUBJECT, "SENT|SENDS|DEPLOYED|DEPLOYS|MOVED", 2,
     "TROOPS|FORCES|SOLDIERS|TANKS", "INTO", 0},
    {"attack", "190", DM_FRAME_OBJECT, "INVADED|INVADES|ATTACKED", 0, "", "", 0},
    {"diplomatic-ties", "050", DM_FRAME_SYMMETRIC,
     "ESTABLISHED|ESTABLISH|ESTABLISHES|RESTORED|RESTORE|RESTORES|RESUMED|RESUME|RESUMES|"
     "NORMALISED|NORMALIZED|NORMALISE|NORMALIZE|UPGRADED|UPGRADE|STRENGTHENED|STRENGTHEN|"
     "IMPROVED|IMPROVE|EXPANDED|EXPAND|DEEPENED|DEEPEN",
     3, "DIPLOMATIC RELATIONS|DIPLOMATIC TIES|RELATIONS|TIES|DIPLOMATIC COOPERATION", "WITH", 1},
    {"intent-cooperate", "030", DM_FRAME_SYMMETRIC,
     "PLEDGED TO|PLEDGE TO|PLEDGES TO|AGREED TO|AGREE TO|AGREES TO|VOWED TO|VOW TO|VOWS TO|"
     "PROMISED TO|PROMISE TO|PROMISES TO",
     3, "COOPERATION|COOPERATE|WORK TOGETHER|TIES|PARTNERSHIP", "WITH", 1},
    {"support", "051", DM_FRAME_OBJECT,
     "EXPRESSED SUPPORT FOR|EXPRESSES SUPPORT FOR|EXPRESS SUPPORT FOR|VOICED SUPPORT FOR|"
     "VOICES SUPPORT FOR|SUPPORTED|SUPPORTS|APPROVED OF|APPROVES OF|WELCOMED THE DECISION "
     "OF",
     0, "", "", 0},
    {"reach-agreement", "057", DM_FRAME_SYMMETRIC, "REACHED|REACHES|STRUCK|STRIKES|CLINCHED", 3,
     DM_DEAL, "WITH", 1},
    {"ratify", "057", DM_FRAME_SYMMETRIC, "RATIFIED|RATIFIES|RATIFY", 4, DM_DEAL, "WITH|BY", 1},
    {"demand", "100", DM_FRAME_OBJECT,
     "DEMANDED THAT|DEMANDS THAT|DEMANDED|DEMANDS|DEMANDING THAT|INSISTED THAT|INSISTS THAT", 0, "",
     "", 0},
    {"appeal", "020", DM_FRAME_OBJECT,
     "URGED|URGES|CALLED ON|CALLS ON|APPEALED TO|APPEALS TO|ASKED|ASKS", 0, "", "", 0},
    {"praise", "051", DM_FRAME_OBJECT,
     "PRAISED|PRAISES|COMMENDED|COMMENDS|THANKED|HAILED|HAILS|ENDORSED|ENDORSES|LAUDED|"
     "LAUDS|APPLAUDED|APPLAUDS|WELCOMED|WELCOMES",
     0, "", "", 0},
    {"apologise", "055", DM_FRAME_OBJECT, "APOLOGISED TO|APOLOGIZED TO|APOLOGISES TO", 0, "", "",
     0},
    {"reject", "120", DM_FRAME_OBJECT, "REJECTED|REJECTS|REBUFFED", 0, "", "", 0},
    {"consult", "040", DM_FRAME_OBJECT,
     "SPOKE WITH|SPOKE TO|TALKED WITH|TALKED TO|SPOKE BY PHONE WITH|SPOKE BY TELEPHONE WITH|"
     "HELD A PHONE CALL WITH|CONSULTED|CONSULTS",
     0, "", "", 1},
    {"phone-talks", "040", DM_FRAME_SYMMETRIC,
     "SPOKE BY PHONE|SPEAK BY PHONE|SPEAKS BY PHONE|SPOKE BY TELEPHONE|HELD PHONE TALKS|HOLD "
     "PHONE TALKS|HELD TELEPHONE TALKS|HELD A PHONE CALL|HELD A TELEPHONE CALL",
     0, "", "WITH", 1},
    /* Material cooperation (06x): joint exercises, cooperating on a matter. */
    {"joint-exercises", "062", DM_FRAME_SYMMETRIC,
     "BEGIN|BEGAN|BEGINS|HOLD|HELD|HOLDS|CONDUCT|CONDUCTED|CONDUCTS|STAGE|STAGED|STAGES|LAUNCH|"
     "LAUNCHED|LAUNCHES|START|STARTED|STARTS|WRAPPED UP|CONCLUDED",
     3,
     "JOINT MILITARY EXERCISES|JOINT EXERCISES|JOINT MILITARY DRILLS|JOINT DRILLS|JOINT NAVAL "
     "EXERCISES|JOINT NAVAL DRILLS|JOINT MILITARY MANEUVERS|JOINT MILITARY MANOEUVRES|JOINT "
     "MANEUVERS|JOINT MANOEUVRES|JOINT TRAINING EXERCISES|JOINT PATROLS|JOINT AIR EXERCISES",
     "WITH", 1},
    {"cooperate-on", "060", DM_FRAME_SYMMETRIC,
     "COOPERATE ON|COOPERATED ON|COOPERATES ON|CO-OPERATE ON|COMMIT TO WORKING TOGETHER|"
     "COMMITTED TO WORKING TOGETHER|EXPAND COOPERATION|EXPANDED COOPERATION|EXPANDS "
     "COOPERATION|DEEPEN COOPERATION|DEEPENED COOPERATION|STEP UP COOPERATION|STEPPED UP "
     "COOPERATION|BOOST COOPERATION|BOOSTED COOPERATION",
     0, "", "WITH|ON", 1},
    {"negotiate", "046", DM_FRAME_SUBJECT, "NEGOTIATED|NEGOTIATES|NEGOTIATING", 0, "", "WITH", 1},
    {"arms", "062", DM_FRAME_SUBJECT,
     "SUPPLIED|SUPPLIES|SOLD|SELLS|DELIVERED|DELIVERS|SHIPPED|SHIPS", 4,
     "WEAPONS|ARMS|MISSILES|FIGHTER JETS|AIR DEFENCE SYSTEMS|AIR DEFENSE SYSTEMS|AMMUNITION", "TO",
     0},
    {"aid", "070", DM_FRAME_SUBJECT,
     "SENT|SENDS|PROVIDED|PROVIDES|DELIVERED|DELIVERS|DONATED|DONATES|GAVE|GIVES|GRANTED", 4,
     "AID|ASSISTANCE|HUMANITARIAN AID|LOANS|LOAN|GRANT|GRANTS|VACCINES|RELIEF", "TO|FOR", 0},
    {"recall-envoy", "161", DM_FRAME_SUBJECT, "RECALLED|RECALLS|WITHDREW|WITHDRAWS", 3,
     "AMBASSADOR|ENVOY|DIPLOMATS|ENVOYS|AMBASSADORS", "FROM|TO|IN", 0},
    {"pledge-aid", "033", DM_FRAME_SUBJECT,
     "PLEDGED|PLEDGES|PROMISED|PROMISES|OFFERED|OFFERS|ANNOUNCED|ANNOUNCES|APPROVED|AGREED TO "
     "PROVIDE|AGREES TO PROVIDE|AGREED TO SEND|AGREES TO SEND|PROMISED TO PROVIDE|PROMISED TO "
     "SEND|OFFERED TO PROVIDE|OFFERED TO SEND",
     8,
     "AID|ASSISTANCE|MILITARY AID|HUMANITARIAN AID|ECONOMIC AID|LOANS|LOAN|GRANTS|SUPPORT "
     "PACKAGE|AID PACKAGE",
     "TO|FOR", 0},
    {"agree-talks", "036", DM_FRAME_SYMMETRIC,
     "AGREED TO RESUME|AGREED TO HOLD|AGREED TO START|AGREED TO BEGIN|AGREED TO OPEN|AGREED TO "
     "RESTART|AGREE TO RESUME|AGREE TO HOLD|AGREES TO RESUME|AGREES TO HOLD|OFFERED TO HOLD",
     3, DM_TALKS "|MEETINGS|MEETING|SUMMIT|SUMMITS|HIGH-LEVEL MEETINGS", "WITH|OVER", 1},
    {"resume-talks", "046", DM_FRAME_SYMMETRIC, "RESUMED|RESUMES|RESTARTED|RESTARTS", 3, DM_TALKS,
     "WITH", 1},
    {"launch-offensive", "190", DM_FRAME_SUBJECT,
     "LAUNCHED|LAUNCHES|LAUNCH|BEGAN|BEGINS|STARTED|MOUNTED|STEPPED UP|RESUMED", 4,
     "OFFENSIVE|MILITARY OPERATION|OPERATION|INCURSION|ASSAULT|GROUND ASSAULT|INVASION|"
     "MILITARY CAMPAIGN",
     "AGAINST|INTO|ON|IN", 1},
    {"shoot-down", "190", DM_FRAME_OBJECT, "SHOT DOWN|SHOOTS DOWN|DOWNED", 0, "", "", 0},
    {"air-strikes", "195", DM_FRAME_SUBJECT, "LAUNCHED|CARRIED OUT|CONDUCTED", 2,
     "AIR STRIKES|AIRSTRIKES|AIR STRIKE|AIRSTRIKE|AIR RAIDS|DRONE STRIKES|MISSILE STRIKES",
     "ON|AGAINST|IN", 0},
};

/* Matches one '|'-alternative list at token i; returns the number of
 * tokens matched (longest alternative), 0 none. */
static const char *const dm_frames_preps[] = {
    "BY",     "AGAINST", "WITH",  "ON",   "OF",    "IN",     "FROM",
    "TO",     "INTO",    "OVER",  "FOR",  "AT",    "ABOUT",  "BETWEEN",
    "TOWARD", "TOWARDS", "UNDER", "NEAR", "AMONG", "BEFORE", "DURING",
    "VISIT",  "VISITED", "THAN",  "LIKE", "VIA",   "ACROSS", NULL};

static int dm_frames_is_punct(const dm_tokens_t *tk, size_t i)
{
        const char *w = tk->toks[i].word;
        return w[0] && !w[1] && strchr(",.;:!?()", w[0]);
}

/* What a country does, after its adjective: "the Turkish invasion". */
static const char dm_frames_acts[] =
    "INVASION|OFFENSIVE|ATTACK|ATTACKS|DECISION|MOVE|OPERATION|INCURSION|STRIKES|BOMBING|"
    "BOMBARDMENT|ACTIONS|AGGRESSION|CRACKDOWN|OCCUPATION|ANNEXATION|INTERVENTION|TEST|TESTS|"
    "MISSILE TEST|LAUNCH|SANCTIONS|EXPULSION|ARRESTS";

static const char *const dm_frames_det[] = {"THE", "ITS", "HIS", "HER", "THEIR",
                                            "OUR", "A",   "AN",  NULL};

/* Whether tokens [from, to) are only words that can stand between a
 * country word and its noun ("US economic sanctions"). */
static int dm_frames_only_modifiers(const dm_tokens_t *tk, size_t from, size_t to)
{
        static const char *const stop[] = {"AND", "OR",   "VIA", "OF", "TO",   "IN",      "ON",
                                           "FOR", "WITH", "THE", "BY", "FROM", "AGAINST", NULL};
        size_t k;
        for (k = from; k < to; k++)
                if (dm_frames_is_punct(tk, k) || dm_text_word_in(tk->toks[k].word, stop))
                        return 0;
        return 1;
}

/* Whether a sanctions noun phrase at [np_first, np_end) is being undone or
 * only talked about: "lifting US sanctions", "sanctions were lifted",
 * "a sanctions waiver", "his rejection of sanctions". */
static int dm_frames_undone(const dm_tokens_t *tk, size_t np_first, size_t np_end)
{
        static const char *const before[] = {"LIFT",    "LIFTING", "LIFTED",   "EASE",  "EASING",
                                             "EASED",   "REMOVE",  "REMOVING", "END",   "ENDING",
                                             "OF",      "WAIVE",   "WAIVING",  "AVOID", "EVADE",
                                             "EVADING", "BUST",    "BUSTING",  NULL};
        static const char *const after[] = {"WAIVER", "WAIVERS", "RELIEF", "WERE", "WAS", "WILL",
                                            "WOULD",  "COULD",   "REGIME", "LIST", NULL};
        size_t k;
        for (k = np_first >= 2 ? np_first - 2 : 0; k < np_first; k++)
                if (dm_text_word_in(tk->toks[k].word, before))
                        return 1;
        for (k = np_end; k < tk->count && k < np_end + 2; k++)
                if (dm_text_word_in(tk->toks[k].word, after))
                        return 1;
        return 0;
}

/* The actor that starts at or after token i within the window; -1 none.
 * Articles and quotes in between are skipped. */
static long dm_frames_actor_at(const dm_tokens_t *tk, const dm_frame_actor_t *a, size_t na,
                               size_t i, size_t window)
{
        size_t k, j;
        for (j = i; j < tk->count && j < i + window; j++) {
                for (k = 0; k < na; k++)
                        if (a[k].first == j)
                                return a[k].modifier ? -1 : (long)k;
                if (dm_frames_is_punct(tk, j))
                        return -1;
        }
        return -1;
}

/* Whether the actor is a prepositional object: "by Japan", "against the
 * Russian Federation". */
static int dm_frames_after_prep(const dm_tokens_t *tk, const dm_frame_actor_t *a)
{
        size_t i = a->first;
        if (i > 0 && !strcmp(tk->toks[i - 1].word, "THE"))
                i--;
        /* One modifier may stand between: "with official Lima". */
        return (i > 0 && dm_text_word_in(tk->toks[i - 1].word, dm_frames_preps)) ||
               (i > 1 && isalpha((unsigned char)tk->toks[i - 1].word[0]) &&
                dm_text_word_in(tk->toks[i - 2].word, dm_frames_preps));
}

static int dm_frames_official_after(const dm_tokens_t *tk, size_t last);

static int dm_frames_possessive(const dm_tokens_t *tk, size_t i)
{
        const char *w = tk->toks[i].word;
        size_t n = strlen(w);
        return (n > 2 && !strcmp(w + n - 2, "'S")) || (n > 1 && w[n - 1] == '\'');
}

/* Singular heads news uses for people and bodies that are no state actors. */
static int dm_frames_is_head(const char *w)
{
        static const char *const heads[] = {
            "WATCHDOG", "WOMAN",   "MAN",      "GROUP",      "TEENAGER",      "FATHER",  "MOTHER",
            "CHILD",    "FIGHTER", "MILITANT", "JOURNALIST", "REPORTER",      "STUDENT", "ACTIVIST",
            "COMPANY",  "FIRM",    "BANK",     "REPORT",     "INVESTIGATION", "CITIZEN", "NATIONAL",
            "JIHADI",   "FAMILY",  "BOY",      "GIRL",       "EXPERT",        "SOURCE",  "NETWORK",
            "MILITIA",  "PARTY",   NULL};
        return dm_text_word_in(w, heads);
}

/* Whether token i is a common noun that can head a subject: a plural
 * ("volunteers", "citizens") or one of the singular heads news uses for
 * people and bodies that are not state actors. Official nouns do not
 * count: "Kenyan army officers travelled" keeps Kenya. */
static int dm_frames_common_noun(const dm_tokens_t *tk, size_t i)
{

        static const char *const not_nouns[] = {
            "HAS",     "WAS",     "IS",         "THIS",   "ITS",   "HIS",    "ALSO",    "AS",
            "THUS",    "US",      "HERS",       "ITS",    "YES",   "UNLESS", "WHEREAS", "ACROSS",
            "PERHAPS", "BESIDES", "TIMES",      "DAYS",   "WEEKS", "MONTHS", "YEARS",   "HOURS",
            "THIS",    "PLUS",    "AFTERWARDS", "ALWAYS", NULL};
        const char *w = tk->toks[i].word;
        size_t n = strlen(w);
        if (dm_frames_is_head(w))
                return 1;
        if (n <= 3 || w[n - 1] != 'S' || !isalpha((unsigned char)w[0]) ||
            dm_text_word_in(w, not_nouns) || dm_frames_official_after(tk, i - 1))
                return 0;
        /* "-ss" and "-us" words are no plurals ("Congress", "consensus"). */
        return w[n - 2] != 'S' && w[n - 2] != 'U' && w[n - 2] != '\'';
}

/* Whether token i lies inside a relative clause ", which ... ," or ", who
 * ... ," that closes before token t: "Peru, which had hosted the
 * talks, blamed Chile". */
static int dm_frames_in_relative(const dm_tokens_t *tk, size_t i, size_t t)
{
        size_t k, open = (size_t)-1;
        for (k = 0; k + 1 < t; k++) {
                const char *w = tk->toks[k].word;
                if (!strcmp(w, ",") && (!strcmp(tk->toks[k + 1].word, "WHICH") ||
                                        !strcmp(tk->toks[k + 1].word, "WHO"))) {
                        open = k;
                } else if (!strcmp(w, ",") && open != (size_t)-1) {
                        if (i > open && i < k)
                                return 1;
                        open = (size_t)-1;
                }
        }
        return 0;
}

/* Official nouns after a country word make it a state actor: "US
 * officials", "the Turkish defence minister". */
static int dm_frames_official_after(const dm_tokens_t *tk, size_t last)
{
        static const char *const off[] = {
            "OFFICIALS",    "OFFICIAL",       "MINISTER",    "MINISTERS", "MINISTRY",
            "PRESIDENT",    "PRIME",          "FOREIGN",     "DEFENCE",   "DEFENSE",
            "GOVERNMENT",   "AUTHORITIES",    "DIPLOMATS",   "DIPLOMAT",  "COUNTERPART",
            "COUNTERPARTS", "DELEGATION",     "LEADER",      "LEADERS",   "LEADERSHIP",
            "ENVOY",        "AMBASSADOR",     "ADVISER",     "ADVISOR",   "SECRETARY",
            "SPOKESMAN",    "SPOKESWOMAN",    "FORCES",      "TROOPS",    "MILITARY",
            "ARMY",         "NAVY",           "PARLIAMENT",  "SENATE",    "CONGRESS",
            "REGIME",       "ADMINISTRATION", "STATE",       "EMBASSY",   "SECURITY",
            "INTELLIGENCE", "NATIONAL",       "SUPREME",     "DEPUTY",    "KING",
            "CROWN",        "CHANCELLOR",     "PREMIER",     "AIR",       "WARPLANES",
            "JETS",         "POLICE",         "NEGOTIATORS", "DELEGATES", NULL};
        size_t k;
        for (k = last + 1; k < tk->count && k <= last + 3; k++) {
                if (dm_text_word_in(tk->toks[k].word, off))
                        return 1;
                if (dm_frames_is_punct(tk, k))
                        return 0;
        }
        return 0;
}

void dm_frames_classify(const dm_tokens_t *tk, dm_frame_actor_t *a, int adjective)
{
        int off = dm_frames_official_after(tk, a->last);
        int hyphen = tk->toks[a->first].hyphen_before ||
                     (a->last + 1 < tk->count && tk->toks[a->last + 1].hyphen_before);
        /* A country's name or seat acting ("Armenia restored ties") is the
         * state; its demonym is a private person unless an official noun
         * follows ("Chileans travelled", "Chilean officials travelled"). */
        a->official = off || !a->country || strlen(a->code) > 3 || !adjective;
        if (strlen(a->code) >= 6) {
                static const char *const priv[] = {"CVL", "REF", "EDU", "BUS", "MED", "LAB",
                                                   "AGR", "HLH", "REL", "CRM", "ACT", NULL};
                const char *const *pv;
                for (pv = priv; *pv; pv++)
                        if (strstr(a->code + 3, *pv))
                                a->official = 0;
        }
        a->modifier = hyphen || (adjective && !off);
}

/* The source for a trigger at token t: the nearest actor before it that is
 * not a prepositional object; for a coordinated verb ("..., and has broken
 * off") the sentence's first such actor. */
static long dm_frames_subject(const dm_tokens_t *tk, const dm_frame_actor_t *a, size_t na, size_t t)
{
        static const char *const aux[] = {"HAS", "HAVE", "HAD",  "ALSO", "WILL",  "WOULD", "IS",
                                          "WAS", "ARE",  "WERE", "THEN", "LATER", NULL};
        static const char *const rel[] = {"WHICH", "WHO", "WHOSE", "WHOM", NULL};
        long best = -1, first = -1, last_prep = -1;
        size_t k, j = t;
        int coordinated = 0;
        for (k = 0; k < na; k++) {
                /* A list continues a prepositional object: "envoy to Chile,
                 * Peru and Europe", "backed by the EU, the United States,
                 * Chile and Peru". */
                size_t pos = a[k].first;
                int prep;
                if (pos > 0 && !strcmp(tk->toks[pos - 1].word, "THE"))
                        pos--;
                /* "and the UK's envoy" starts a new clause, not a list item:
                 * "the" continues a list only after a comma, and a possessive
                 * never does. */
                prep = dm_frames_after_prep(tk, &a[k]) ||
                       (last_prep == (long)k - 1 && k > 0 && pos >= 1 &&
                        a[k - 1].last + 1 == pos - 1 && !dm_frames_possessive(tk, a[k].last) &&
                        (!strcmp(tk->toks[pos - 1].word, ",") ||
                         (pos == a[k].first && (!strcmp(tk->toks[pos - 1].word, "AND") ||
                                                !strcmp(tk->toks[pos - 1].word, "OR")))));
                if (prep)
                        last_prep = (long)k;
                if (a[k].last >= t || a[k].modifier || prep ||
                    dm_frames_in_relative(tk, a[k].first, t))
                        continue;
                if (first < 0)
                        first = (long)k;
                best = (long)k;
        }
        while (j > 0 && dm_text_word_in(tk->toks[j - 1].word, aux))
                j--;
        /* "The US, Britain and other countries accused": the list before
         * the closing "and others" is the subject. */
        {
                static const char *const others[] = {"COUNTRIES", "NATIONS",     "STATES", "ALLIES",
                                                     "PARTNERS",  "GOVERNMENTS", "OTHERS", NULL};
                size_t q = j;
                if (q >= 2 && dm_text_word_in(tk->toks[q - 1].word, others)) {
                        q--;
                        while (q > 0 && q + 3 > j &&
                               (!strcmp(tk->toks[q - 1].word, "OTHER") ||
                                !strcmp(tk->toks[q - 1].word, "WESTERN") ||
                                !strcmp(tk->toks[q - 1].word, "ITS") ||
                                !strcmp(tk->toks[q - 1].word, "THEIR") ||
                                !strcmp(tk->toks[q - 1].word, "EUROPEAN")))
                                q--;
                        if (q > 0 && !strcmp(tk->toks[q - 1].word, "AND"))
                                j = q - 1;
                }
        }
        if (j > 0 && (!strcmp(tk->toks[j - 1].word, "AND") || !strcmp(tk->toks[j - 1].word, "BUT")))
                coordinated = 1;
        /* "Chilean citizens travelled", "foreign students travelled": a
         * common noun right before the verb is its subject, and no actor. */
        if (j > 0 && dm_frames_common_noun(tk, j - 1)) {
                static const char *const quant[] = {
                    "MANY",    "SOME",  "FOREIGN", "THOUSANDS", "HUNDREDS", "DOZENS", "OTHER",
                    "SEVERAL", "LOCAL", "THE",     "THESE",     "THOSE",    "TWO",    "THREE",
                    "FOUR",    "ITS",   "THEIR",   "HIS",       "HER",      NULL};
                int covered = 0, after_modifier = 0, plural_subject;
                const char *w = tk->toks[j - 1].word;
                for (k = 0; k < na; k++) {
                        if (a[k].first <= j - 1 && j - 1 <= a[k].last)
                                covered = 1;
                        if (a[k].modifier && a[k].last + 2 == j)
                                after_modifier = 1;
                }
                /* A plural is the subject only after a country adjective or a
                 * determiner ("Chilean citizens", "foreign students"); bare
                 * it may be a verb ("does not plan"). */
                plural_subject = after_modifier ||
                                 (j >= 2 && dm_text_word_in(tk->toks[j - 2].word, quant)) ||
                                 dm_frames_is_head(w);
                if (!covered && plural_subject)
                        return -1;
        }
        /* "those who have travelled to Chile": the subject is what the
         * pronoun stands for, an actor only when one is right before it. */
        if (j > 0 &&
            (dm_text_word_in(tk->toks[j - 1].word, rel) || !strcmp(tk->toks[j - 1].word, "THAT"))) {
                size_t p = j - 1;
                if (p > 0 && !strcmp(tk->toks[p - 1].word, ","))
                        p--;
                /* ... and not the end of a prepositional list. */
                for (k = 0; k < na; k++)
                        if (a[k].last + 1 == p && !a[k].modifier && last_prep != (long)k)
                                return (long)k;
                return -1;
        }
        return coordinated ? first : best;
}

void dm_frames_register_phrases(void)
{
        size_t r;
        dm_phrases_register(dm_frames_acts);
        for (r = 0; r < sizeof(dm_frame_rules) / sizeof(dm_frame_rules[0]); r++) {
                dm_phrases_register(dm_frame_rules[r].triggers);
                dm_phrases_register(dm_frame_rules[r].nouns);
                dm_phrases_register(dm_frame_rules[r].preps);
        }
}

size_t dm_frames_code(const dm_tokens_t *tk, const dm_frame_actor_t *actors, size_t nactors,
                      dm_frame_event_t *out, size_t max)
{
        size_t r, i, n = 0;
        unsigned char used_noun[512];
        memset(used_noun, 0, sizeof(used_noun));
        if (nactors < 2)
                return 0;
        for (r = 0; r < sizeof(dm_frame_rules) / sizeof(dm_frame_rules[0]); r++) {
                const dm_frame_rule_t *fr = &dm_frame_rules[r];
                for (i = 0; i < tk->count && n < max; i++) {
                        size_t tl = 0, nl = 0, noun = i, after, j;
                        long src = -1, tgt = -1;
                        if (fr->kind == DM_FRAME_NOMINAL) {
                                nl = dm_phrases_match(fr->nouns, tk, i);
                                if (!nl || (i < sizeof(used_noun) && used_noun[i]))
                                        continue;
                                /* "Japanese sanctions", "US economic sanctions";
                                 * not "lifting US sanctions", "sanctions were
                                 * lifted", "via Chad and restrictions". */
                                for (j = 0; j < nactors; j++)
                                        if (actors[j].last < i && actors[j].last + 3 >= i &&
                                            dm_frames_only_modifiers(tk, actors[j].last + 1, i))
                                                src = (long)j;
                                if (dm_frames_undone(tk, src >= 0 ? actors[src].first : i, i + nl))
                                        continue;
                                after = i + nl;
                        } else {
                                tl = dm_phrases_match(fr->triggers, tk, i);
                                if (!tl || tk->toks[i].hyphen_before)
                                        continue;
                                /* "is accused in Kenya", "those penalised by
                                 * Washington": a passive verb's subject is its
                                 * target, not its source. */
                                if (fr->kind != DM_FRAME_PASSIVE && dm_text_is_passive(tk, i))
                                        continue;
                                after = i + tl;
                                if (fr->kind == DM_FRAME_PASSIVE) {
                                        int found = 0;
                                        for (j = i >= 3 ? i - 3 : 0; j < i; j++)
                                                if (dm_phrases_match(fr->nouns, tk, j))
                                                        found = 1;
                                        if (!found)
                                                continue;
                                        src = dm_frames_actor_at(tk, actors, nactors, after, 2);
                                        if (src < 0)
                                                continue;
                                        after = actors[src].last + 1;
                                } else if (fr->nouns[0]) {
                                        for (j = after;
                                             j < tk->count && j <= after + (size_t)fr->gap; j++) {
                                                if ((nl = dm_phrases_match(fr->nouns, tk, j)))
                                                        break;
                                                if (dm_frames_is_punct(tk, j))
                                                        break;
                                        }
                                        if (!nl)
                                                continue;
                                        noun = j;
                                        if (fr->kind == DM_FRAME_GAP_TARGET)
                                                tgt = dm_frames_actor_at(tk, actors, nactors, after,
                                                                         noun - after);
                                        after = noun + nl;
                                }
                                if (src < 0)
                                        src = dm_frames_subject(tk, actors, nactors, i);
                        }
                        if (src < 0)
                                continue;
                        /* The direct object, after at most a determiner: not
                         * "jointly hosted with Peru". */
                        if (tgt < 0 && fr->kind == DM_FRAME_OBJECT)
                                tgt = dm_frames_actor_at(
                                    tk, actors, nactors, after,
                                    after < tk->count &&
                                            dm_text_word_in(tk->toks[after].word, dm_frames_det)
                                        ? 2
                                        : 1);
                        /* "criticised the Turkish invasion": a country word
                         * before what the country did is the target. */
                        if (tgt < 0 && fr->kind == DM_FRAME_OBJECT && !strcmp(fr->code, "111")) {
                                size_t o = after;
                                long k2;
                                if (o < tk->count &&
                                    dm_text_word_in(tk->toks[o].word, dm_frames_det))
                                        o++;
                                for (k2 = 0; k2 < (long)nactors; k2++)
                                        if (actors[k2].first == o && actors[k2].modifier &&
                                            actors[k2].last + 1 < tk->count &&
                                            dm_phrases_match(dm_frames_acts, tk,
                                                             actors[k2].last + 1))
                                                tgt = k2;
                        }
                        if (tgt < 0 && fr->preps[0]) {
                                /* The preposition may come a few words later: "talks
                                 * to settle its quarrel with Uganda". */
                                for (j = after; j < tk->count && j < after + 8; j++) {
                                        size_t pl = dm_phrases_match(fr->preps, tk, j);
                                        if (dm_frames_is_punct(tk, j))
                                                break;
                                        if (pl) {
                                                tgt = dm_frames_actor_at(tk, actors, nactors,
                                                                         j + pl, 3);
                                                break;
                                        }
                                }
                        }
                        /* "Chile and Bolivia signed": the subject found is the
                         * second of the pair; the first is the source. */
                        if (tgt < 0 && fr->kind == DM_FRAME_SYMMETRIC && actors[src].first >= 2 &&
                            !strcmp(tk->toks[actors[src].first - 1].word, "AND")) {
                                for (j = 0; j < nactors; j++) {
                                        if (actors[j].last + 2 == actors[src].first) {
                                                tgt = src;
                                                src = (long)j;
                                                break;
                                        }
                                }
                        }
                        if (tgt < 0 && fr->kind == DM_FRAME_SYMMETRIC &&
                            actors[src].last + 2 < tk->count &&
                            !strcmp(tk->toks[actors[src].last + 1].word, "AND"))
                                tgt = dm_frames_actor_at(tk, actors, nactors, actors[src].last + 2,
                                                         2);
                        if (tgt < 0 || tgt == src)
                                continue;
                        if (fr->official && !actors[src].official)
                                continue;
                        /* "hosted Norway's naval base": for meetings
                         * and visits a possessive object is only the actor when
                         * an official or another actor follows ("met Egypt's
                         * president", "hosted Kenya's William Ruto"). */
                        if (fr->official && fr->kind == DM_FRAME_OBJECT &&
                            dm_frames_possessive(tk, actors[tgt].last) &&
                            !dm_frames_official_after(tk, actors[tgt].last) &&
                            dm_frames_actor_at(tk, actors, nactors, actors[tgt].last + 1, 1) < 0)
                                continue;
                        if (actors[src].country && actors[tgt].country &&
                            !strcmp(actors[src].country, actors[tgt].country))
                                continue;
                        if (!strcmp(actors[src].code, actors[tgt].code))
                                continue;
                        if (noun < sizeof(used_noun) && fr->nouns[0])
                                used_noun[noun] = 1;
                        out[n].source = (size_t)src;
                        out[n].target = (size_t)tgt;
                        out[n].code = fr->code;
                        out[n].rule = fr->name;
                        out[n].trig_first = i;
                        out[n].trig_last = (fr->kind == DM_FRAME_NOMINAL ? i + nl : i + tl) - 1;
                        n++;
                        /* "Japan and Australia expressed support": each of a
                         * pair of subjects is a source. */
                        if (fr->kind != DM_FRAME_SYMMETRIC && fr->kind != DM_FRAME_NOMINAL &&
                            fr->kind != DM_FRAME_PASSIVE && n < max && actors[src].first >= 2 &&
                            !strcmp(tk->toks[actors[src].first - 1].word, "AND")) {
                                for (j = 0; j < nactors; j++) {
                                        if (actors[j].last + 2 != actors[src].first ||
                                            actors[j].modifier || (long)j == tgt ||
                                            (actors[j].country && actors[tgt].country &&
                                             !strcmp(actors[j].country, actors[tgt].country)))
                                                continue;
                                        out[n] = out[n - 1];
                                        out[n].source = j;
                                        n++;
                                        break;
                                }
                        }
                }
        }
        return n;
}

int dm_frames_accept_coded(const dm_tokens_t *tk, const char *code, const char *src_code,
                           size_t trig, const dm_frame_actor_t *actors, size_t nactors,
                           size_t src_tok, size_t tgt_tok)
{
        static const char *const det[] = {"THE",   "A",       "AN",    "ITS",  "HIS",   "HER",
                                          "THEIR", "OUR",     "THAT",  "THIS", "THESE", "THOSE",
                                          "NO",    "ANY",     "WHOSE", "ALL",  "SOME",  "EACH",
                                          "EVERY", "FURTHER", "MORE",  NULL};
        const char *prev;
        size_t k;
        if (!code || !strncmp(code, "01", 2) || trig >= tk->count)
                return 0;
        if (trig > 0) {
                prev = tk->toks[trig - 1].word;
                if (dm_text_word_in(prev, det) || dm_frames_possessive(tk, trig - 1) ||
                    !strcmp(prev, "TO"))
                        return 0;
        }
        if (dm_text_is_passive(tk, trig))
                return 0;
        /* "received from the US": the giver is after the verb. */
        if (!strcmp(tk->toks[trig].word, "RECEIVED") || !strcmp(tk->toks[trig].word, "RECEIVES"))
                return 0;
        /* Civilians, refugees, business, media and the like neither visit,
         * meet nor negotiate for a state, and are the victims, not the
         * authors, of the violence the coder finds around them ("a British
         * citizen killed in Syria"). */
        if (src_code && strlen(src_code) >= 6 &&
            (!strncmp(code, "04", 2) || !strncmp(code, "05", 2) || !strncmp(code, "18", 2) ||
             !strncmp(code, "19", 2) || !strncmp(code, "20", 2))) {
                static const char *const priv[] = {"CVL", "REF", "EDU", "BUS", "MED", "LAB",
                                                   "AGR", "HLH", "REL", "CRM", "ACT", NULL};
                const char *const *pv;
                for (pv = priv; *pv; pv++)
                        if (strstr(src_code + 3, *pv))
                                return 0;
        }
        /* The coder's source must be the clause's subject as the frames see
         * it, and its target must follow the verb inside the clause: "Saudi
         * Arabia accuses Iran", not "imminent attack by Russian forces" or
         * "calls for the Syrian president to leave". */
        {
                long subj = dm_frames_subject(tk, actors, nactors, trig);
                size_t from, to;
                if (subj < 0 || src_tok < actors[subj].first || src_tok > actors[subj].last)
                        return 0;
                dm_flags_clause(tk, trig, &from, &to);
                if (tgt_tok != (size_t)-1 && (tgt_tok <= trig || tgt_tok >= to))
                        return 0;
                const char *tw = tk->toks[trig].word;
                size_t tn = strlen(tw), bq;
                static const char *const between[] = {
                    ",",          "\"",        "'",         "-",        "HAS",     "HAVE",
                    "HAD",        "IS",        "WAS",       "ARE",      "WERE",    "WILL",
                    "WOULD",      "COULD",     "CAN",       "MAY",      "MIGHT",   "SHOULD",
                    "MUST",       "DID",       "DOES",      "DO",       "NOT",     "N'T",
                    "NEVER",      "ALSO",      "FIRST",     "LONG",     "ALREADY", "PREVIOUSLY",
                    "RECENTLY",   "STILL",     "NOW",       "THEN",     "LATER",   "EARLIER",
                    "REPEATEDLY", "INITIALLY", "JUST",      "EVEN",     "AGAIN",   "ON",
                    "MONDAY",     "TUESDAY",   "WEDNESDAY", "THURSDAY", "FRIDAY",  "SATURDAY",
                    "SUNDAY",     "TODAY",     "YESTERDAY", NULL};
                /* Only auxiliaries, adverbs, a date and other actors may stand
                 * between the subject and its verb: in "the US presence has
                 * reassured" or "the US air and naval strike force" the subject
                 * is another noun. */
                for (bq = actors[subj].last + 1; bq < trig; bq++) {
                        const char *bw = tk->toks[bq].word;
                        size_t m;
                        int in_actor = 0;
                        for (m = 0; m < nactors; m++)
                                if (actors[m].first <= bq && bq <= actors[m].last)
                                        in_actor = 1;
                        if (in_actor || dm_text_word_in(bw, between) || dm_text_is_adverb(bw))
                                continue;
                        return 0;
                }
                /* A target inside "of ..." or "by ..." or after "that" belongs to
                 * a noun, a passive or another clause ("the approval of Russia",
                 * "spearheaded by its allies", "no evidence that Syria ..."). */
                if (tgt_tok != (size_t)-1) {
                        static const char *const tprep[] = {"OF", "BY", "THAT", "WHETHER", NULL};
                        size_t t0 = tgt_tok, m;
                        while (t0 > trig + 1 && (!strcmp(tk->toks[t0 - 1].word, "THE") ||
                                                 !strcmp(tk->toks[t0 - 1].word, "ITS") ||
                                                 !strcmp(tk->toks[t0 - 1].word, "THEIR")))
                                t0--;
                        if (t0 > 0 && dm_text_word_in(tk->toks[t0 - 1].word, tprep))
                                return 0;
                        for (m = trig + 1; m < tgt_tok; m++)
                                if (!strcmp(tk->toks[m].word, "THAT") ||
                                    !strcmp(tk->toks[m].word, "WHETHER"))
                                        return 0;
                        /* The verb inside ", which ... ," and the target after it. */
                        if (dm_frames_in_relative(tk, trig, tgt_tok))
                                return 0;
                }
                /* Hyphenated ("open-ended") or after a hyphenated modifier ("a
                 * US-led strike"): an adjective or a noun, not the verb. */
                if (tk->toks[trig].hyphen_before || (trig > 0 && tk->toks[trig - 1].hyphen_before))
                        return 0;
                /* An -ing form is the verb only in a progressive ("is lobbying");
                 * alone it modifies a noun ("a fighting force", "messages
                 * suggesting"). */
                if (tn > 4 && !strcmp(tw + tn - 3, "ING")) {
                        static const char *const be[] = {"IS",   "ARE", "WAS", "WERE",
                                                         "BEEN", "BE",  NULL};
                        size_t q = trig;
                        while (q > 0 && dm_text_is_adverb(tk->toks[q - 1].word))
                                q--;
                        if (q == 0 || !dm_text_word_in(tk->toks[q - 1].word, be))
                                return 0;
                }
                /* "The Vienna talks": an actor after "the" and before a noun. */
                if (actors[subj].first > 0 &&
                    !strcmp(tk->toks[actors[subj].first - 1].word, "THE") &&
                    actors[subj].last + 1 == trig && tn > 3 && tw[tn - 1] == 'S')
                        return 0;
                /* "Bangladesh's rejection suggested": the possessor is not the
                 * subject. */
                if (dm_frames_possessive(tk, actors[subj].last) && actors[subj].last + 1 < trig &&
                    !dm_frames_official_after(tk, actors[subj].last))
                        return 0;
                /* "killed in Syria", "fought in Syria", "a send to": a target
                 * after a place preposition is where, not whom, except for
                 * visits, deployments and attacks on a country. */
                if (tgt_tok != (size_t)-1 && tgt_tok > 0 && strncmp(code, "04", 2) &&
                    strncmp(code, "15", 2) && strncmp(code, "19", 2) && strncmp(code, "18", 2)) {
                        static const char *const loc[] = {"IN",     "INTO",       "TO", "TOWARDS",
                                                          "TOWARD", "FROM",       "AT", "INSIDE",
                                                          "ACROSS", "THROUGHOUT", NULL};
                        size_t q = tgt_tok;
                        if (q > 0 && !strcmp(tk->toks[q - 1].word, "THE"))
                                q--;
                        if (q > 0 && dm_text_word_in(tk->toks[q - 1].word, loc))
                                return 0;
                }
                if (tgt_tok != (size_t)-1 && tgt_tok > 0 &&
                    (!strncmp(code, "18", 2) || !strncmp(code, "19", 2))) {
                        /* Fighting "in Syria" by a private person is no attack;
                         * for violence the target must be the object or come
                         * after "against"/"on". */
                        static const char *const at[] = {"IN",   "INTO",   "TO", "TOWARDS",
                                                         "FROM", "INSIDE", NULL};
                        size_t q = tgt_tok;
                        if (q > 0 && !strcmp(tk->toks[q - 1].word, "THE"))
                                q--;
                        if (q > 0 && dm_text_word_in(tk->toks[q - 1].word, at) &&
                            !actors[subj].official)
                                return 0;
                }
                /* A plural-looking trigger ("strikes", "attacks", "calls") is
                 * a verb only right after its subject. */
                {
                        const char *w = tk->toks[trig].word;
                        size_t n = strlen(w);
                        if (n > 3 && w[n - 1] == 'S' && actors[subj].last + 1 != trig &&
                            !(actors[subj].last + 2 == trig &&
                              dm_text_is_adverb(tk->toks[trig - 1].word)))
                                return 0;
                }
        }
        for (k = 0; k < nactors; k++) {
                const dm_frame_actor_t *a = &actors[k];
                if (((src_tok >= a->first && src_tok <= a->last) ||
                     (tgt_tok >= a->first && tgt_tok <= a->last)) &&
                    a->modifier)
                        return 0;
        }
        return 1;
}
