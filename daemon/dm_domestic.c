#include "demarche/dm_domestic.h"

#include "demarche/dm_flags.h"
#include "demarche/dm_phrases.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Who may do what: S state bodies (government, police, military, courts,
 * parliament; a bare country name stands for its state), C civilians,
 * workers, students, the opposition, V armed groups. */
enum { DM_DOM_S = 1, DM_DOM_C = 2, DM_DOM_V = 4 };

typedef struct dm_dom_group {
        const char *words;
        const char *agent;
        int cls;
} dm_dom_group_t;

/* Longer phrases first is not needed: the matcher takes the longest. */
static const dm_dom_group_t dm_dom_groups[] = {
    {"PROTESTERS|PROTESTORS|DEMONSTRATORS|MARCHERS|RIOTERS|CROWDS|CROWD|THOUSANDS|HUNDREDS|DOZENS|"
     "TENS OF THOUSANDS|RESIDENTS|VILLAGERS|CIVILIANS|CITIZENS|PEOPLE|YOUTHS|WOMEN|PRISONERS|"
     "DETAINEES|INMATES|POLITICAL PRISONERS|HOSTAGES|REFUGEES|MIGRANTS|ASYLUM SEEKERS",
     "CVL", DM_DOM_C},
    {"WORKERS|UNION|UNIONS|TRADE UNION|TRADE UNIONS|LABOR UNION|LABOUR UNION|MINERS|EMPLOYEES|"
     "DOCKERS|TRUCKERS|TAXI DRIVERS|STRIKERS|CIVIL SERVANTS|PUBLIC SECTOR WORKERS",
     "LAB", DM_DOM_C},
    {"TEACHERS|STUDENTS|LECTURERS|ACADEMICS|TEACHERS UNION|STUDENT UNION", "EDU", DM_DOM_C},
    {"DOCTORS|NURSES|HEALTH WORKERS|MEDICS", "HLH", DM_DOM_C},
    {"FARMERS", "AGR", DM_DOM_C},
    {"JOURNALISTS|REPORTERS", "MED", DM_DOM_C},
    {"OPPOSITION|OPPOSITION SUPPORTERS|OPPOSITION ACTIVISTS|OPPOSITION PARTY|OPPOSITION PARTIES|"
     "OPPOSITION LEADERS|DISSIDENTS",
     "OPP", DM_DOM_C},
    {"ACTIVISTS|CAMPAIGNERS|RIGHTS ACTIVISTS|HUMAN RIGHTS ACTIVISTS", "ACT", DM_DOM_C},
    {"REBELS|INSURGENTS|SEPARATISTS|GUERRILLAS|GUERRILLA FIGHTERS|REBEL FIGHTERS", "REB", DM_DOM_V},
    {"MILITANTS|GUNMEN|ATTACKERS|BOMBERS|SUICIDE BOMBER|SUICIDE BOMBERS|ASSAILANTS|ARMED MEN|"
     "JIHADISTS|EXTREMISTS|MILITIA|MILITIAS|MILITIAMEN|BANDITS|KIDNAPPERS|PIRATES|A GUNMAN|GUNMAN|"
     "PARAMILITARIES|PARAMILITARY FORCES|ARMED GROUPS|ARMED GROUP",
     "UAF", DM_DOM_V},
    {"AUTHORITIES|GOVERNMENT|OFFICIALS|REGIME|ADMINISTRATION|CABINET|MINISTRY|JUNTA|"
     "PRESIDENT|PRIME MINISTER|INTERIOR MINISTER|MAYOR|CITY COUNCIL|COUNCIL|GOVERNOR",
     "GOV", DM_DOM_S},
    {"POLICE|RIOT POLICE|POLICE OFFICERS|POLICEMEN|OFFICERS|SECURITY FORCES|SECURITY OFFICERS|"
     "SECURITY SERVICES|POLICE CHIEF",
     "COP", DM_DOM_S},
    {"TROOPS|SOLDIERS|ARMY|MILITARY|ARMED FORCES|AIR FORCE|NAVY|COAST GUARD|BORDER GUARDS", "MIL",
     DM_DOM_S},
    {"COURT|COURTS|JUDGE|JUDGES|PROSECUTORS|SUPREME COURT|CONSTITUTIONAL COURT", "JUD", DM_DOM_S},
    {"PARLIAMENT|LAWMAKERS|LEGISLATORS|LEGISLATURE|SENATE|CONGRESS|NATIONAL ASSEMBLY", "LEG",
     DM_DOM_S},
};

typedef enum dm_dom_kind {
        DM_DOM_VERB = 0, /* SUBJECT TRIGGER [up to gap tokens NOUN] */
        DM_DOM_NOMINAL,  /* NOUN [was|were|has been ...] TRIGGER: "curfew was imposed" */
        DM_DOM_VICTIM,   /* TRIGGER [up to gap tokens] NOUN, no subject: "eight killed in
                          * Istanbul bomb explosion"; the source is the place's */
} dm_dom_kind_t;

typedef enum dm_dom_target {
        DM_DOM_T_NONE = 0,
        DM_DOM_T_OBJECT,  /* the group or actor after the trigger (and noun) */
        DM_DOM_T_AGAINST, /* the group or actor after "against" */
        DM_DOM_T_PREP,    /* the actor after "to", "with", "from", "against", "on": may be
                           * another country ("made concessions to Mali", "declared a
                           * ceasefire with Jordan") */
} dm_dom_target_t;

typedef struct dm_dom_rule {
        const char *name;
        const char *code;
        dm_dom_kind_t kind;
        int cls; /* the subjects allowed */
        const char *triggers;
        int gap;
        const char *nouns; /* "" none */
        dm_dom_target_t target;
        const char *agent; /* NOMINAL: the source's agent when no "by" names it */
} dm_dom_rule_t;

#define DM_DOM_IMPOSE                                                                              \
        "IMPOSED|IMPOSES|IMPOSE|IMPOSING|DECLARED|DECLARES|DECLARE|ANNOUNCED|ORDERED|ORDERS|"      \
        "EXTENDED|EXTENDS|EXTEND|ENFORCED|SLAPPED|REIMPOSED|INTRODUCED"
#define DM_DOM_LIFT                                                                                \
        "LIFTED|LIFTS|LIFT|LIFTING|EASED|EASES|EASE|EASING|RELAXED|RELAXES|RELAX|ENDED|ENDS|"      \
        "REVOKED|REVOKES|SCRAPPED|SCRAPS|RESCINDED|REPEALED|REMOVED|REMOVES|REMOVE|AGREED TO "     \
        "REMOVE|AGREED TO LIFT|AGREED TO EASE|AGREES TO REMOVE|AGREES TO LIFT|AGREES TO EASE"
#define DM_DOM_EMERGENCY "STATE OF EMERGENCY|EMERGENCY RULE|MARTIAL LAW|STATE OF SIEGE"
#define DM_DOM_PROTESTS  "PROTESTS|PROTEST|DEMONSTRATIONS|DEMONSTRATION|RALLIES|RALLY|MARCHES"
#define DM_DOM_MILITARY                                                                            \
        "AIRSTRIKE*|AIR STRIKE*|AIR RAID*|BOMBARDMENT|SHELLING|SHELLED|CHEMICAL|SARIN|CHLORINE|"   \
        "BARREL BOMB*|MISSILE*|ROCKET*|ARTILLERY|MORTAR*|DRONE*|WARPLANE*|JETS|AIRCRAFT|"          \
        "HELICOPTER*|TANK|TANKS|GAS ATTACK*"
#define DM_DOM_BE "WAS|WERE|IS|ARE|HAS BEEN|HAVE BEEN|HAD BEEN|BEEN|BEING|BE|HAS|HAVE|HAD"

/* Arrays, not literals at each use, so that one registered address serves
 * every use (dm_phrases). */
static const char dm_dom_be[] = DM_DOM_BE;
static const char dm_dom_military[] = DM_DOM_MILITARY;

static const dm_dom_rule_t dm_dom_rules[] = {
    /* Protest (14x) by civilians, workers and the opposition. */
    {"hunger-strike", "142", DM_DOM_VERB, DM_DOM_C,
     "WENT ON HUNGER STRIKE|WENT ON A HUNGER STRIKE|ARE ON HUNGER STRIKE|ARE ON A HUNGER STRIKE|"
     "BEGAN A HUNGER STRIKE|STAGED A HUNGER STRIKE|STARTED A HUNGER STRIKE|LAUNCHED A HUNGER "
     "STRIKE",
     0, "", DM_DOM_T_NONE, NULL},
    {"strike", "143", DM_DOM_VERB, DM_DOM_C,
     "WENT ON STRIKE|GO ON STRIKE|GONE ON STRIKE|GOES ON STRIKE|GOING ON STRIKE|ARE ON STRIKE|"
     "WERE ON STRIKE|IS ON STRIKE|WAS ON STRIKE|ARE OUT ON STRIKE|WERE OUT ON STRIKE|NOW OUT ON "
     "STRIKE|OUT ON STRIKE|STAGED A STRIKE|STAGED STRIKES|STAGED A WALKOUT|WALKED OUT|WALKED OFF "
     "THE JOB|DOWNED TOOLS|BEGAN A STRIKE|LAUNCHED A STRIKE|CALLED A STRIKE|CALLED A GENERAL "
     "STRIKE|HELD A STRIKE|ARE STRIKING|WERE STRIKING|BOYCOTTED|BOYCOTTS|BOYCOTT",
     0, "", DM_DOM_T_NONE, NULL},
    {"blockade", "144", DM_DOM_VERB, DM_DOM_C,
     "BLOCKED ROADS|BLOCKED THE ROAD|BLOCKED THE ROADS|BLOCKED HIGHWAYS|BLOCKED STREETS|BLOCK "
     "HIGHWAY|BLOCK ROADS|BLOCK HIGHWAYS|BLOCKED A HIGHWAY|BLOCKED THE HIGHWAY|BLOCK ROAD|SET UP "
     "ROADBLOCKS|SET UP BARRICADES|ERECTED BARRICADES|BARRICADED",
     0, "", DM_DOM_T_NONE, NULL},
    {"riot", "145", DM_DOM_VERB, DM_DOM_C,
     "RIOTED|CLASHED WITH POLICE|CLASHED WITH RIOT POLICE|CLASHED WITH SECURITY FORCES|THREW "
     "STONES|HURLED STONES|THREW ROCKS|HURLED ROCKS|THREW PETROL BOMBS|THREW MOLOTOV COCKTAILS|"
     "TORCHED|SET FIRE TO|LOOTED|RANSACKED|STORMED",
     0, "", DM_DOM_T_OBJECT, NULL},
    {"demonstrate", "141", DM_DOM_VERB, DM_DOM_C,
     "PROTESTED|DEMONSTRATED|RALLIED|MARCHED|PROTEST|DEMONSTRATE|PROTESTING|DEMONSTRATING|MARCH|"
     "RALLY|PROTESTS|DEMONSTRATES|RALLIES|MARCHES|"
     "RALLYING|MARCHING|TOOK TO THE STREETS|TAKE TO THE STREETS|TAKING TO THE STREETS|TOOK TO "
     "THE STREET|STAGED A PROTEST|STAGED PROTESTS|STAGED A RALLY|STAGED RALLIES|STAGED A "
     "DEMONSTRATION|STAGED DEMONSTRATIONS|STAGED A SIT-IN|STAGED A MARCH|HELD A PROTEST|HELD "
     "PROTESTS|HELD A RALLY|HELD RALLIES|HELD A DEMONSTRATION|HELD DEMONSTRATIONS|PICKETED|"
     "STAGED A PICKET|OCCUPIED",
     0, "", DM_DOM_T_AGAINST, NULL},
    {"protests-erupted", "141", DM_DOM_NOMINAL, DM_DOM_C,
     "ERUPTED|BROKE OUT|SPREAD|TOOK PLACE|WERE HELD|CONTINUED|ENTERED|SWEPT|ROCKED|GREW|FLARED", 0,
     DM_DOM_PROTESTS, DM_DOM_T_AGAINST, "CVL"},
    {"strike-began", "143", DM_DOM_NOMINAL, DM_DOM_C,
     "BEGAN|STARTED|ENTERED|CONTINUED|PARALYSED|PARALYZED|SHUT DOWN|CRIPPLED|HIT|DISRUPTED", 0,
     "GENERAL STRIKE|NATIONWIDE STRIKE|NATIONAL STRIKE|TEACHERS' STRIKE|WORKERS' STRIKE",
     DM_DOM_T_NONE, "LAB"},
    {"riots-erupted", "145", DM_DOM_NOMINAL, DM_DOM_C, "ERUPTED|BROKE OUT|SPREAD|ROCKED|FLARED", 0,
     "RIOTS|RIOTING|UNREST|VIOLENT PROTESTS|CLASHES", DM_DOM_T_NONE, "CVL"},
    /* The opposition yields (082): "suspended protests", "called off the strike". */
    {"end-protest", "082", DM_DOM_VERB, DM_DOM_C,
     "SUSPENDED|SUSPENDS|CALLED OFF|CALLS OFF|ENDED|ENDS|HALTED|HALTS|POSTPONED|ABANDONED|AGREED "
     "TO SUSPEND|AGREED TO END|AGREED TO CALL OFF|DECIDED TO SUSPEND|DECIDED TO END|DECIDED TO "
     "CALL OFF|VOTED TO END|VOTED TO SUSPEND",
     3, DM_DOM_PROTESTS "|STRIKE|STRIKES|BOYCOTT|SIT-IN|HUNGER STRIKE", DM_DOM_T_NONE, NULL},
    /* Demands, accusations, investigations and threats inside one
     * country: "protesters demanded", "activists accused the police". */
    {"demand", "100", DM_DOM_VERB, DM_DOM_C,
     "DEMANDED|DEMAND|DEMANDS|DEMANDING|ARE DEMANDING|WERE DEMANDING", 0, "", DM_DOM_T_OBJECT,
     NULL},
    {"accuse", "112", DM_DOM_VERB, DM_DOM_C | DM_DOM_S,
     "ACCUSED|ACCUSES|ACCUSE|BLAMED|BLAMES|BLAME|ACCUSING|BLAMING", 0, "", DM_DOM_T_OBJECT, NULL},
    {"investigate", "090", DM_DOM_VERB, DM_DOM_C | DM_DOM_S,
     "INVESTIGATED|INVESTIGATES|INVESTIGATE|INVESTIGATING|PROBED|PROBES|PROBE|OPENED AN "
     "INVESTIGATION|OPENED AN INQUIRY|LAUNCHED AN INVESTIGATION|LAUNCHED AN INQUIRY|LAUNCHED A "
     "PROBE|OPENED A PROBE|ORDERED AN INVESTIGATION|ORDERED AN INQUIRY",
     0, "", DM_DOM_T_OBJECT, NULL},
    {"threaten", "130", DM_DOM_VERB, DM_DOM_S | DM_DOM_C | DM_DOM_V,
     "THREATENED|THREATENS|THREATEN", 0, "", DM_DOM_T_OBJECT, NULL},
    /* Coercion (17x) by the state. */
    {"curfew", "1723", DM_DOM_VERB, DM_DOM_S, DM_DOM_IMPOSE, 4, "CURFEW|CURFEWS", DM_DOM_T_NONE,
     NULL},
    {"emergency", "1724", DM_DOM_VERB, DM_DOM_S, DM_DOM_IMPOSE, 4, DM_DOM_EMERGENCY, DM_DOM_T_NONE,
     NULL},
    {"curfew-imposed", "1723", DM_DOM_NOMINAL, DM_DOM_S, DM_DOM_IMPOSE, 0, "CURFEW|CURFEWS",
     DM_DOM_T_NONE, "GOV"},
    {"emergency-imposed", "1724", DM_DOM_NOMINAL, DM_DOM_S, DM_DOM_IMPOSE, 0, DM_DOM_EMERGENCY,
     DM_DOM_T_NONE, "GOV"},
    {"ban-party", "1722", DM_DOM_VERB, DM_DOM_S,
     "BANNED|BANS|BAN|OUTLAWED|OUTLAWS|OUTLAW|DISSOLVED|DISSOLVES|DISBANDED|PROSCRIBED", 4,
     "PARTY|PARTIES|OPPOSITION|MOVEMENT|CANDIDATE|CANDIDATES", DM_DOM_T_NONE, NULL},
    {"party-banned", "1722", DM_DOM_NOMINAL, DM_DOM_S, "BANNED|OUTLAWED|DISSOLVED|PROSCRIBED", 0,
     "PARTY|PARTIES|MOVEMENT", DM_DOM_T_NONE, "GOV"},
    {"restrict", "1721", DM_DOM_VERB, DM_DOM_S,
     "BANNED|BANS|BLOCKED|BLOCKS|SHUT DOWN|SHUTS DOWN|RESTRICTED|RESTRICTS|CENSORED|CLOSED|"
     "CLOSES|SUSPENDED|SUSPENDS|OUTLAWED",
     3,
     "INTERNET|SOCIAL MEDIA|NEWSPAPER|NEWSPAPERS|WEBSITES|WEBSITE|TELEVISION|BROADCASTER|"
     "BROADCASTERS|MEDIA OUTLETS|RADIO|PROTESTS|PROTEST|GATHERINGS|DEMONSTRATIONS|RALLIES|"
     "PUBLIC GATHERINGS|NGOS|CHARITIES|CIVIL SOCIETY",
     DM_DOM_T_NONE, NULL},
    {"arrest", "173", DM_DOM_VERB, DM_DOM_S,
     "ARRESTED|ARRESTS|ARREST|DETAINED|DETAINS|DETAIN|ROUNDED UP|ROUNDS UP|JAILED|JAILS|"
     "IMPRISONED|TOOK INTO CUSTODY|CHARGED|INDICTED|SENTENCED|CONVICTED|PROSECUTED|RAIDED|"
     "PUT ON TRIAL",
     0, "", DM_DOM_T_OBJECT, NULL},
    {"deport", "174", DM_DOM_VERB, DM_DOM_S,
     "DEPORTED|DEPORTS|DEPORT|EXPELLED|EXPELS|EXPEL|EXTRADITED|EXTRADITES|EXTRADITE", 0, "",
     DM_DOM_T_OBJECT, NULL},
    {"seize", "1711", DM_DOM_VERB, DM_DOM_S,
     "SEIZED|SEIZES|CONFISCATED|CONFISCATES|IMPOUNDED|EXPROPRIATED|NATIONALISED|NATIONALIZED", 4,
     "PROPERTY|PROPERTIES|ASSETS|LAND|FARMS|HOMES|HOUSES|VESSEL|SHIP|TANKER|EQUIPMENT|PASSPORTS|"
     "ARMS|WEAPONS|GOODS",
     DM_DOM_T_NONE, NULL},
    {"repress", "175", DM_DOM_VERB, DM_DOM_S,
     "CRACKED DOWN ON|CRACKS DOWN ON|CRACK DOWN ON|CRACKING DOWN ON|FIRED TEAR GAS|USED TEAR GAS|"
     "FIRED TEARGAS|USED TEARGAS|USED WATER CANNON|USED WATER CANNONS|FIRED ON|OPENED FIRE ON|"
     "DISPERSED|BROKE UP|BEAT|TEAR-GASSED|TEARGASSED",
     0, "", DM_DOM_T_OBJECT, NULL},
    /* Yielding (08x) by the state. */
    {"lift-curfew", "0813", DM_DOM_VERB, DM_DOM_S, DM_DOM_LIFT, 4, "CURFEW|CURFEWS", DM_DOM_T_NONE,
     NULL},
    {"lift-emergency", "0814", DM_DOM_VERB, DM_DOM_S, DM_DOM_LIFT, 4, DM_DOM_EMERGENCY,
     DM_DOM_T_NONE, NULL},
    {"curfew-lifted", "0813", DM_DOM_NOMINAL, DM_DOM_S, DM_DOM_LIFT, 0, "CURFEW|CURFEWS",
     DM_DOM_T_NONE, "GOV"},
    {"emergency-lifted", "0814", DM_DOM_NOMINAL, DM_DOM_S, DM_DOM_LIFT, 0, DM_DOM_EMERGENCY,
     DM_DOM_T_NONE, "GOV"},
    {"lift-restrictions", "081", DM_DOM_VERB, DM_DOM_S, DM_DOM_LIFT, 5,
     "RESTRICTIONS|BAN|BANS|LIMITS|CENSORSHIP|CONTROLS", DM_DOM_T_NONE, NULL},
    {"accede", "083", DM_DOM_VERB, DM_DOM_S,
     "AGREED TO|AGREES TO|AGREE TO|ACCEPTED|ACCEPTS|MET|MEETS|BOWED TO|BOWS TO|GAVE IN TO|GIVES "
     "IN TO|CAVED IN TO|CAVED TO|YIELDED TO|CONCEDED TO|GRANTED|GRANTS",
     4, "DEMANDS|DEMAND|CALLS", DM_DOM_T_PREP, NULL},
    {"concessions", "080", DM_DOM_VERB, DM_DOM_S,
     "MADE|MAKES|MAKE|OFFERED|OFFERS|OFFER|ANNOUNCED|GRANTED|GRANTS", 3, "CONCESSIONS|CONCESSION",
     DM_DOM_T_PREP, NULL},
    {"resign", "0831", DM_DOM_VERB, DM_DOM_S,
     "RESIGNED|RESIGNS|STEPPED DOWN|STEPS DOWN|STEP DOWN|QUIT HIS POST|QUIT HER POST|QUIT AS|QUITS|"
     "TENDERED HIS RESIGNATION|TENDERED HER RESIGNATION|ANNOUNCED HIS RESIGNATION|ANNOUNCED HER "
     "RESIGNATION",
     0, "", DM_DOM_T_NONE, NULL},
    {"release", "0841", DM_DOM_VERB, DM_DOM_S,
     "RELEASED|RELEASES|RELEASE|FREED|FREES|FREE|PARDONED|PARDONS|PARDON|RELEASING|FREEING", 5,
     "PRISONERS|PRISONER|DETAINEES|DETAINEE|HOSTAGES|HOSTAGE|INMATES|ACTIVISTS|ACTIVIST|"
     "JOURNALISTS|JOURNALIST|PROTESTERS|DISSIDENTS|DISSIDENT|CAPTIVES|POWS|OPPOSITION|LEADER|"
     "LEADERS|SOLDIERS|SAILORS|CREW|FISHERMEN|WORKERS|STUDENTS|NATIONALS|CITIZENS|BLOGGER|"
     "BLOGGERS|LAWYER|LAWYERS|MEMBERS|MEN|WOMEN|PEOPLE",
     DM_DOM_T_OBJECT, NULL},
    {"allow-access", "086", DM_DOM_VERB, DM_DOM_S,
     "ALLOWED|ALLOWS|ALLOW|GRANTED|GRANTS|PERMITTED|OPENED|AGREED TO ALLOW|AGREED TO ADMIT|"
     "ADMITTED|WELCOMED",
     4,
     "HUMANITARIAN ACCESS|AID CONVOYS|INSPECTORS|MONITORS|OBSERVERS|PEACEKEEPERS|HUMANITARIAN "
     "CORRIDOR|HUMANITARIAN CORRIDORS|AID WORKERS|UN INSPECTORS",
     DM_DOM_T_NONE, NULL},
    {"ceasefire", "0871", DM_DOM_VERB, DM_DOM_S | DM_DOM_V,
     "DECLARED|DECLARES|DECLARE|ANNOUNCED|ANNOUNCES|AGREED TO|AGREED|AGREES TO|ACCEPTED|ACCEPTS|"
     "OBSERVED|SIGNED|RESPECTED|EXTENDED",
     4, "CEASEFIRE|CEASE-FIRE|CEASE FIRE|TRUCE|CESSATION OF HOSTILITIES|ARMISTICE", DM_DOM_T_PREP,
     NULL},
    {"withdraw", "0874", DM_DOM_VERB, DM_DOM_S | DM_DOM_V,
     "WITHDREW|WITHDRAWS|WITHDRAW|PULLED OUT|PULLS OUT|PULLED BACK|PULLS BACK|RETREATED|"
     "RETREATS|BEGAN WITHDRAWING|STARTED WITHDRAWING|COMPLETED THE WITHDRAWAL OF",
     3, "TROOPS|FORCES|SOLDIERS|UNITS|TANKS|FIGHTERS|PEACEKEEPERS", DM_DOM_T_PREP, NULL},
    {"disarm", "0873", DM_DOM_VERB, DM_DOM_S | DM_DOM_V,
     "DEMOBILISED|DEMOBILIZED|DISARMED|LAID DOWN THEIR ARMS|LAID DOWN THEIR WEAPONS|LAY DOWN "
     "THEIR ARMS|LAID DOWN ARMS|HANDED OVER THEIR WEAPONS|DISBANDED|DISBAND|DISBANDS|DISARM|"
     "DISARMS",
     0, "", DM_DOM_T_NONE, NULL},
    {"surrender", "0874", DM_DOM_VERB, DM_DOM_S | DM_DOM_V, "SURRENDERED|SURRENDERS|CAPITULATED", 0,
     "", DM_DOM_T_NONE, NULL},
    /* Force posture (15x) by the state. */
    {"mobilize-police", "153", DM_DOM_VERB, DM_DOM_S,
     "DEPLOYED|DEPLOYS|DEPLOY|MOBILISED|MOBILIZED|DISPATCHED|SENT|STATIONED|BOLSTERED|"
     "REINFORCED|BEEFED UP|STEPPED UP",
     4, "POLICE|POLICE OFFICERS|RIOT POLICE|POLICEMEN|OFFICERS|SECURITY FORCES|SECURITY",
     DM_DOM_T_NONE, NULL},
    {"mobilize-troops", "154", DM_DOM_VERB, DM_DOM_S,
     "DEPLOYED|DEPLOYS|DEPLOY|MOBILISED|MOBILIZED|DISPATCHED|MASSED|STATIONED|BOLSTERED|"
     "REINFORCED|BEEFED UP|CALLED UP",
     4,
     "TROOPS|SOLDIERS|FORCES|TANKS|ARMOURED VEHICLES|ARMORED VEHICLES|WARSHIPS|RESERVISTS|"
     "UNITS|PERSONNEL|THE ARMY|THE MILITARY",
     DM_DOM_T_NONE, NULL},
    {"alert", "152", DM_DOM_VERB, DM_DOM_S,
     "PUT|PUTS|PLACED|PLACES|RAISED|RAISES|WENT ON|ARE ON|WERE ON|IS ON|WAS ON", 4,
     "HIGH ALERT|ALERT|HIGHEST ALERT|COMBAT READINESS|FULL ALERT", DM_DOM_T_NONE, NULL},
    /* Unconventional violence (18x) by armed groups. */
    {"abduct", "181", DM_DOM_VERB, DM_DOM_V,
     "ABDUCTED|ABDUCTS|KIDNAPPED|KIDNAPS|HIJACKED|HIJACKS|TOOK HOSTAGE", 0, "", DM_DOM_T_OBJECT,
     NULL},
    {"bombing", "183", DM_DOM_VERB, DM_DOM_V,
     "DETONATED|BLEW HIMSELF UP|BLEW THEMSELVES UP|BLEW HERSELF UP|SET OFF|PLANTED|BOMBED", 0, "",
     DM_DOM_T_OBJECT, NULL},
    {"bomb-killed", "183", DM_DOM_NOMINAL, DM_DOM_V,
     "KILLED|EXPLODED|WENT OFF|RIPPED THROUGH|STRUCK|HIT|TARGETED|WOUNDED|INJURED|KILLS|KILLING", 0,
     "SUICIDE BOMBING|SUICIDE BOMBER|CAR BOMB|BOMB|BOMBS|BOMB BLAST|BOMB EXPLOSION|SUICIDE ATTACK|"
     "BOMBING|ROADSIDE BOMB|TRUCK BOMB|EXPLOSIVE DEVICE",
     DM_DOM_T_NONE, "UAF"},
    {"assassinate", "186", DM_DOM_VERB, DM_DOM_V, "ASSASSINATED|ASSASSINATES", 0, "",
     DM_DOM_T_OBJECT, NULL},
    {"kill", "1823", DM_DOM_VERB, DM_DOM_V,
     "KILLED|KILLS|KILL|SHOT DEAD|MURDERED|GUNNED DOWN|BEHEADED|EXECUTED|MASSACRED|STABBED|"
     "SLAUGHTERED|HACKED TO DEATH",
     0, "", DM_DOM_T_OBJECT, NULL},
    {"destroy", "1712", DM_DOM_VERB, DM_DOM_V,
     "RAZED|RAZE|TORCHED|BURNED|BURNT|DESTROYED|SET FIRE TO|SET ALIGHT|LOOTED", 0, "",
     DM_DOM_T_NONE, NULL},
    {"attack", "180", DM_DOM_VERB, DM_DOM_V,
     "ATTACKED|ATTACKS|ATTACK|STORMED|AMBUSHED|RAIDED|OPENED FIRE|WOUNDED|INJURED|SHOT|"
     "INJURE|WOUND",
     0, "", DM_DOM_T_OBJECT, NULL},
    {"ceasefire-began", "0871", DM_DOM_NOMINAL, DM_DOM_S,
     "BEGINS|BEGAN|BEGIN|TOOK EFFECT|TAKES EFFECT|CAME INTO EFFECT|CAME INTO FORCE|WENT INTO "
     "EFFECT|HOLDS|HELD|DECLARED|ANNOUNCED|AGREED",
     0, "CEASEFIRE|CEASE-FIRE|TRUCE", DM_DOM_T_PREP, ""},
    {"hunger-strike-continued", "142", DM_DOM_NOMINAL, DM_DOM_C,
     "BEGINS|BEGAN|CONTINUES|CONTINUED|ENTERS|ENTERED|GOES ON", 0, "HUNGER STRIKE|HUNGER STRIKES",
     DM_DOM_T_NONE, "CVL"},
    {"labor-strike-began", "143", DM_DOM_NOMINAL, DM_DOM_C,
     "BEGINS|BEGAN|CONTINUES|CONTINUED|ENTERS|ENTERED|SPREADS|SPREAD|PARALYSES|PARALYZES", 0,
     "LABOR STRIKE|LABOUR STRIKE|STRIKE BY WORKERS|WORKERS STRIKE|TEACHERS STRIKE|DOCTORS STRIKE",
     DM_DOM_T_NONE, "LAB"},
    {"internet-shutdown", "1721", DM_DOM_NOMINAL, DM_DOM_S,
     "BEGINS|BEGAN|IMPOSED|ORDERED|SUSPENDED|BLOCKED|SHUT DOWN|RESTRICTED|CUT|CUT OFF", 0,
     "INTERNET SHUTDOWN|INTERNET BLACKOUT|SOCIAL MEDIA PLATFORMS|SOCIAL MEDIA|INTERNET ACCESS|"
     "INTERNET|MESSAGING APPS|NEWSPAPER|NEWSPAPERS",
     DM_DOM_T_NONE, "GOV"},
    {"readiness", "152", DM_DOM_VERB, DM_DOM_S,
     "INCREASES|INCREASED|RAISED|RAISES|BOOSTED|BOOSTS|HEIGHTENED|HEIGHTENS|STEPPED UP|STEPS UP", 2,
     "MILITARY READINESS|COMBAT READINESS|READINESS|ALERT LEVEL|MILITARY PRESENCE|TROOP PRESENCE",
     DM_DOM_T_PREP, NULL},
    {"police-sent", "153", DM_DOM_NOMINAL, DM_DOM_S,
     "CALLED TO|CALLED IN|SENT TO|SENT INTO|DEPLOYED|DEPLOYED TO|DEPLOYED IN|RUSHED TO|"
     "DISPATCHED TO|ARRIVE IN|ARRIVED IN|FLOOD",
     0, "POLICE|RIOT POLICE|POLICE OFFICERS|OFFICERS|SECURITY FORCES|POLICEMEN", DM_DOM_T_NONE,
     "COP"},
    {"troops-sent", "154", DM_DOM_NOMINAL, DM_DOM_S,
     "CALLED TO|CALLED IN|SENT TO|DEPLOYED|DEPLOYED TO|DEPLOYED IN|RUSHED TO|DISPATCHED TO|"
     "MOBILISED|MOBILIZED",
     0, "TROOPS|SOLDIERS|RESERVISTS|ARMY UNITS", DM_DOM_T_NONE, "MIL"},
    /* A blast or an explosion alone may be an accident ("a factory
     * blast"): only bombs count. */
    {"killed-in-bombing", "183", DM_DOM_VICTIM, DM_DOM_V, "KILLED|INJURED|WOUNDED|DEAD|HURT", 5,
     "BOMB|BOMBING|BOMB BLAST|SUICIDE ATTACK|SUICIDE BOMBING|CAR BOMB|BOMB EXPLOSION",
     DM_DOM_T_NONE, "UAF"},
    {"killed-in-attack", "180", DM_DOM_VICTIM, DM_DOM_V, "KILLED|INJURED|WOUNDED|DEAD|HURT", 5,
     "ATTACK|ATTACKS|SHOOTING|AMBUSH|GUNFIRE|MASSACRE|RAID|TARGETED ATTACK|GUN ATTACK",
     DM_DOM_T_NONE, "UAF"},
    /* Violence by the state against its people (175). */
    /* The state fighting armed groups at home (190): "the army killed six
     * militants"; the target must be an armed group. */
    {"state-fight", "190", DM_DOM_VERB, DM_DOM_S,
     "KILLED|SHOT DEAD|ATTACKED|RAIDED|STORMED|POUNDED|BOMBED|TARGETED|CAPTURED|AMBUSHED|"
     "CLASHED WITH|FOUGHT|ARRESTED|DETAINED",
     0, "", DM_DOM_T_OBJECT, NULL},
    {"state-kill", "175", DM_DOM_VERB, DM_DOM_S,
     "KILLED|SHOT DEAD|SHOT|GUNNED DOWN|BEAT|BEATEN|WOUNDED|INJURED|TORTURED", 0, "",
     DM_DOM_T_OBJECT, NULL},
};

/* Words that may stand between a subject and its verb. */
static const char *const dm_dom_between[] = {
    "HAS",       "HAVE",      "HAD",      "IS",      "WAS",      "ARE",    "WERE",    "WILL",
    "WOULD",     "COULD",     "CAN",      "MAY",     "MIGHT",    "SHOULD", "MUST",    "DID",
    "DOES",      "DO",        "NOT",      "N'T",     "NEVER",    "ALSO",   "ALREADY", "STILL",
    "NOW",       "THEN",      "LATER",    "EARLIER", "AGAIN",    "FIRST",  "ON",      "MONDAY",
    "TUESDAY",   "WEDNESDAY", "THURSDAY", "FRIDAY",  "SATURDAY", "SUNDAY", "TODAY",   "YESTERDAY",
    "LAST",      "NIGHT",     "WEEK",     "EARLY",   "LATE",     "JUST",   "BEEN",    "REPORTEDLY",
    "ALLEGEDLY", NULL};

static const char *const dm_dom_pronouns[] = {"IT", "THEY", "THIS", "THAT", "WHICH", NULL};

static const char *const dm_dom_preps[] = {"WITH",  "BY",   "AGAINST", "TO",    "FROM",
                                           "FOR",   "ON",   "AT",      "IN",    "OF",
                                           "ABOUT", "OVER", "INTO",    "UNDER", NULL};

static int dm_dom_punct(const dm_tokens_t *tk, size_t i)
{
        const char *w = tk->toks[i].word;
        return w[0] && !w[1] && strchr(",.;:!?()\"", w[0]);
}

static int dm_dom_adverb(const char *w)
{
        size_t n = strlen(w);
        return n > 3 && !strcmp(w + n - 2, "LY");
}

/* The class of an actor code: a bare country or a state agent is S. */
static int dm_dom_actor_class(const char *code)
{
        static const char *const state[] = {"GOV", "COP", "MIL", "JUD", "LEG", "SPY", "PRE", NULL};
        static const char *const armed[] = {"REB", "UAF", "INS", "SEP", "TER", NULL};
        char ag[4];
        if (!code || strlen(code) < 3 || !strncmp(code, "IGO", 3) || !strncmp(code, "NGO", 3))
                return 0;
        if (strlen(code) == 3)
                return DM_DOM_S;
        memcpy(ag, code + 3, 3);
        ag[3] = '\0';
        if (dm_text_word_in(ag, state))
                return DM_DOM_S;
        if (dm_text_word_in(ag, armed))
                return DM_DOM_V;
        return DM_DOM_C;
}

/* The actor covering token i, -1 none. */
static long dm_dom_actor_at(const dm_frame_actor_t *a, size_t na, size_t i)
{
        size_t k;
        for (k = 0; k < na; k++)
                if (a[k].first <= i && i <= a[k].last)
                        return (long)k;
        return -1;
}

/* The group whose words end at token end: its index, and its first token. */
static long dm_dom_group_ending(const dm_tokens_t *tk, size_t end, size_t *first)
{
        size_t s, g;
        for (s = end >= 3 ? end - 3 : 0; s <= end; s++)
                for (g = 0; g < sizeof(dm_dom_groups) / sizeof(dm_dom_groups[0]); g++)
                        if (dm_phrases_match(dm_dom_groups[g].words, tk, s) == end - s + 1) {
                                *first = s;
                                return (long)g;
                        }
        return -1;
}

/* The country of a place or country after "in"/"at"/"across" between
 * tokens from and to. */
static const char *dm_dom_place(const dm_tokens_t *tk, const char *const *pc, size_t from,
                                size_t to)
{
        static const char *const loc[] = {"IN", "AT", "ACROSS", "THROUGHOUT", "OUTSIDE", NULL};
        size_t k;
        if (!pc)
                return NULL;
        for (k = from; k + 1 < to && k + 1 < tk->count; k++) {
                size_t q = k + 1;
                if (!dm_text_word_in(tk->toks[k].word, loc))
                        continue;
                if (q + 1 < to && !strcmp(tk->toks[q].word, "THE"))
                        q++;
                if (pc[q])
                        return pc[q];
        }
        return NULL;
}

/* The end of the clause holding token t. */
static size_t dm_dom_clause_end(const dm_tokens_t *tk, size_t t)
{
        size_t k;
        for (k = t; k < tk->count; k++) {
                const char *w = tk->toks[k].word;
                if (!strcmp(w, ".") || !strcmp(w, ";") || !strcmp(w, "WHILE") ||
                    !strcmp(w, "BUT") || !strcmp(w, "WHICH") || !strcmp(w, "WHO"))
                        break;
        }
        return k;
}

/* Fills p with a group or an actor ending at token head; returns its class,
 * 0 when head holds neither. The country of a group: the country word just
 * before it, else the place named after the trigger, else ctx. */
static int dm_dom_party(const dm_tokens_t *tk, const dm_frame_actor_t *a, size_t na, size_t head,
                        const char *place, const char *ctx, dm_domestic_party_t *p)
{
        size_t gf;
        long g, k = dm_dom_actor_at(a, na, head);
        const char *country;
        /* The coder gives an agent it cannot place the code of the actor
         * before it ("police in Kenya arrested protesters" as KENGOVACT):
         * a group noun with a longer code than country and agent is read as
         * the group, in that actor's country. */
        /* "It also charged ...": a pronoun's referent is a guess the
         * domestic frames do not take. */
        if (k >= 0 && a[k].first == a[k].last &&
            dm_text_word_in(tk->toks[head].word, dm_dom_pronouns))
                return 0;
        if (k >= 0 && !a[k].modifier && strlen(a[k].code) > 6 && a[k].country &&
            dm_dom_group_ending(tk, head, &gf) >= 0)
                place = a[k].country;
        else if (k >= 0 && !a[k].modifier) {
                int cls = dm_dom_actor_class(a[k].code);
                if (!cls)
                        return 0;
                snprintf(p->code, sizeof(p->code), "%s", a[k].code);
                p->country = a[k].country;
                p->first = a[k].first;
                p->last = a[k].last;
                return cls;
        }
        g = dm_dom_group_ending(tk, head, &gf);
        if (g < 0)
                return 0;
        /* Armed groups cross borders: the article's country is no guess
         * for them, only a country word or a place. */
        country = place ? place : dm_dom_groups[g].cls == DM_DOM_V ? NULL : ctx;
        if (gf > 0 && (k = dm_dom_actor_at(a, na, gf - 1)) >= 0 && a[k].country) {
                country = a[k].country;
                gf = a[k].first;
        }
        if (!country)
                return 0;
        snprintf(p->code, sizeof(p->code), "%s%s", country, dm_dom_groups[g].agent);
        p->country = country;
        p->first = gf;
        p->last = head;
        return dm_dom_groups[g].cls;
}

/* The subject of the verb at token t: back over auxiliaries, adverbs and
 * dates to the head of the noun phrase. Not a subject when a preposition
 * governs it ("clashes with police erupted") unless it is "thousands of
 * protesters". */
static int dm_dom_subject(const dm_tokens_t *tk, const dm_frame_actor_t *a, size_t na, size_t t,
                          const char *const *pc, const char *place, const char *ctx,
                          const dm_domestic_party_t *prev, dm_domestic_party_t *p)
{
        size_t j = t, k, gf;
        int cls;
        /* Back over auxiliaries and adverbs, but not over a name that
         * ends like one ("Italy deported"). */
        while (j > 0 &&
               (dm_text_word_in(tk->toks[j - 1].word, dm_dom_between) ||
                (dm_dom_adverb(tk->toks[j - 1].word) && dm_dom_actor_at(a, na, j - 1) < 0)))
                j--;
        if (j == 0 || dm_dom_punct(tk, j - 1))
                return 0;
        /* "lifted the curfew and freed the activists": the subject of the
         * clause's first verb. */
        if (!strcmp(tk->toks[j - 1].word, "AND") && prev && prev->code[0]) {
                *p = *prev;
                return dm_dom_actor_class(p->code);
        }
        /* "gunmen in Peshawar abducted": the place gives the group its
         * country. */
        k = j - 1;
        if (pc && pc[k] && dm_dom_actor_at(a, na, k) < 0) {
                while (k > 0 && pc[k - 1] == pc[k])
                        k--;
                if (k >= 2 && !strcmp(tk->toks[k - 1].word, "IN") &&
                    dm_dom_group_ending(tk, k - 2, &gf) >= 0)
                        return dm_dom_party(tk, a, na, k - 2, pc[j - 1], ctx, p);
        }
        cls = dm_dom_party(tk, a, na, j - 1, place, ctx, p);
        /* "Scotland's jails": a possessive right before is a noun phrase. */
        if (cls && j == t) {
                const char *w = tk->toks[j - 1].word;
                size_t wl = strlen(w);
                if (wl > 2 && !strcmp(w + wl - 2, "'S"))
                        return 0;
        }
        if (cls && p->first > 0) {
                size_t b = p->first - 1;
                long k2;
                /* "an attack by the Syrian government killed": back over
                 * "the" and country words to the preposition. */
                while (b > 0 && (!strcmp(tk->toks[b].word, "THE") ||
                                 ((k2 = dm_dom_actor_at(a, na, b)) >= 0 && a[k2].modifier)))
                        b--;
                if (dm_text_word_in(tk->toks[b].word, dm_dom_preps) &&
                    strcmp(tk->toks[b].word, "OF"))
                        return 0;
        }
        return cls;
}

/* The group or actor within a few words after token from: "arrested dozens
 * of protesters", "freed three prominent activists". A group takes the
 * country given (the source's), armed groups too: "the army killed six
 * militants" are the army's country's. */
static int dm_dom_object(const dm_tokens_t *tk, const dm_frame_actor_t *a, size_t na, size_t from,
                         size_t end, const char *country, dm_domestic_party_t *p)
{
        size_t k;
        for (k = from; k < end && k < from + 6; k++) {
                long ak = dm_dom_actor_at(a, na, k);
                size_t gf;
                if (dm_dom_punct(tk, k))
                        return 0;
                if (ak >= 0 && !a[ak].modifier)
                        return dm_dom_party(tk, a, na, a[ak].last, NULL, country, p);
                if (dm_dom_group_ending(tk, k, &gf) >= 0) {
                        /* The longest group ending here or later: "police
                         * officers", not "police". */
                        size_t e = k;
                        while (e + 1 < end && dm_dom_group_ending(tk, e + 1, &gf) >= 0 && gf <= k)
                                e++;
                        /* "dozens of students": the group after "of". */
                        if (e + 2 < end && !strcmp(tk->toks[e + 1].word, "OF")) {
                                size_t q;
                                for (q = e + 2; q < end && q < e + 5; q++)
                                        if (dm_dom_group_ending(tk, q, &gf) >= 0 && gf > e) {
                                                e = q;
                                                break;
                                        }
                        }
                        return dm_dom_party(tk, a, na, e, country, country, p);
                }
        }
        return 0;
}

static void dm_dom_none(dm_domestic_party_t *p)
{
        p->code[0] = '\0';
        p->country = NULL;
        p->first = p->last = (size_t)-1;
}

static const char *const dm_dom_says_next[] = {"THAT", "DURING", "IN", "ON", NULL};

static const char *const dm_dom_det[] = {"THE", "A", "AN", "ITS", "THEIR", "HIS", "HER", NULL};

/* Demands, accusations, investigations and threats: verbs of saying,
 * whose object must follow them at once. */
static int dm_dom_says(const dm_dom_rule_t *r)
{
        return !strcmp(r->code, "100") || !strcmp(r->code, "112") || !strcmp(r->code, "090") ||
               !strcmp(r->code, "130");
}

/* "an opposition boycott", "challenging Iran probe": a bare verb form right
 * after a group inside a noun phrase is a noun. News puts the present tense
 * in headlines, where the subject opens the sentence ("Police Arrest
 * Protesters"). */
static int dm_dom_noun_compound(const dm_tokens_t *tk, const dm_frame_actor_t *a, size_t na,
                                size_t t, const dm_domestic_party_t *subj)
{
        static const char *const nounable[] = {
            "BOYCOTT", "BOYCOTTS", "PROTEST", "PROTESTS", "MARCH",   "MARCHES", "RALLY",  "RALLIES",
            "STRIKE",  "STRIKES",  "ATTACK",  "ATTACKS",  "ARREST",  "ARRESTS", "DEMAND", "DEMANDS",
            "BAN",     "BANS",     "PROBE",   "PROBES",   "RELEASE", "RAID",    "RAIDS",  "BLOCK",
            "THREAT",  "KILLINGS", "CLASH",   "CLASHES",  NULL};
        /* A named person acting is a verb ("Erdogan arrests"). */
        if (!dm_text_word_in(tk->toks[t].word, nounable) || subj->last + 1 != t ||
            subj->first == 0 || subj->first == (size_t)-1 ||
            (dm_dom_actor_at(a, na, subj->last) >= 0 && strlen(subj->code) > 3))
                return 0;
        return !dm_dom_punct(tk, subj->first - 1) && strcmp(tk->toks[subj->first - 1].word, "-");
}

/* One rule at token i; returns the trigger's length when it fired. */
static size_t dm_dom_rule_at(const dm_tokens_t *tk, const dm_frame_actor_t *a, size_t na,
                             const char *const *pc, const char *ctx, const dm_dom_rule_t *r,
                             size_t i, const dm_domestic_party_t *prev, dm_domestic_event_t *ev)
{
        size_t tl, after, end, j, nl = 0;
        const char *place;
        int cls;
        /* out[] is the caller's scratch: a failed attempt leaves anything. */
        dm_dom_none(&ev->source);
        dm_dom_none(&ev->target);
        if (r->kind == DM_DOM_NOMINAL) {
                /* NOUN [be-words] TRIGGER [by AGENT]. */
                size_t nn = dm_phrases_match(r->nouns, tk, i), q;
                if (!nn)
                        return 0;
                /* "hundreds of police sent to", "3,000 troops deployed": a
                 * force moved in numbers, not "police were called to a
                 * hotel". */
                if (!strcmp(r->code, "153") || !strcmp(r->code, "154")) {
                        const char *qw = i >= 2 && !strcmp(tk->toks[i - 1].word, "OF")
                                             ? tk->toks[i - 2].word
                                         : i >= 1 ? tk->toks[i - 1].word
                                                  : "";
                        if (strcmp(qw, "HUNDREDS") && strcmp(qw, "THOUSANDS") &&
                            strcmp(qw, "DOZENS") &&
                            !(strlen(qw) >= 3 && isdigit((unsigned char)qw[0])))
                                return 0;
                }
                q = i + nn;
                while (q < tk->count &&
                       (dm_phrases_match(dm_dom_be, tk, q) || dm_dom_adverb(tk->toks[q].word)))
                        q += dm_dom_adverb(tk->toks[q].word) ? 1
                                                             : dm_phrases_match(dm_dom_be, tk, q);
                if (q >= tk->count || !(tl = dm_phrases_match(r->triggers, tk, q)))
                        return 0;
                after = q + tl;
                end = dm_dom_clause_end(tk, after);
                place = dm_dom_place(tk, pc, after, end);
                dm_dom_none(&ev->source);
                if (after + 1 < end && !strcmp(tk->toks[after].word, "BY")) {
                        size_t h = after + 1;
                        while (h + 1 < end && (dm_dom_actor_at(a, na, h + 1) >= 0 ||
                                               dm_dom_group_ending(tk, h + 1, &j) >= 0))
                                h++;
                        if (!(dm_dom_party(tk, a, na, h, place, ctx, &ev->source) & r->cls))
                                return 0;
                } else {
                        long k;
                        const char *country = place ? place : r->cls == DM_DOM_V ? NULL : ctx;
                        /* "Haitian protests", "Kenya's curfew". */
                        if (i > 0 && (k = dm_dom_actor_at(a, na, i - 1)) >= 0 && a[k].country)
                                country = a[k].country;
                        if (!country)
                                return 0;
                        snprintf(ev->source.code, sizeof(ev->source.code), "%s%s", country,
                                 r->agent);
                        ev->source.country = country;
                        ev->source.first = i;
                        ev->source.last = i + nn - 1;
                }
                ev->trig_first = q;
                ev->trig_last = after - 1;
        } else if (r->kind == DM_DOM_VICTIM) {
                if (!(tl = dm_phrases_match(r->triggers, tk, i)) ||
                    (i > 0 && dm_text_word_in(tk->toks[i - 1].word, dm_dom_preps)))
                        return 0;
                after = i + tl;
                end = dm_dom_clause_end(tk, after);
                for (j = after; j < end && j <= after + (size_t)r->gap; j++)
                        if ((nl = dm_phrases_match(r->nouns, tk, j)) || dm_dom_punct(tk, j))
                                break;
                if (!nl || (place = dm_dom_place(tk, pc, after, end)) == NULL ||
                    !strcmp(tk->toks[j > 0 ? j - 1 : 0].word, "HEART") ||
                    !strcmp(tk->toks[j > 0 ? j - 1 : 0].word, "PANIC"))
                        return 0;
                snprintf(ev->source.code, sizeof(ev->source.code), "%s%s", place, r->agent);
                ev->source.country = place;
                ev->source.first = j;
                ev->source.last = j + nl - 1;
                dm_dom_none(&ev->target);
                ev->trig_first = i;
                ev->trig_last = after - 1;
                after = j + nl;
        } else {
                tl = dm_phrases_match(r->triggers, tk, i);
                if (!tl || tk->toks[i].hyphen_before)
                        return 0;
                after = i + tl;
                /* "resigned to", "free to", "freed from": adjectives. */
                if (after < tk->count && !r->nouns[0] && r->target == DM_DOM_T_NONE &&
                    (!strcmp(tk->toks[after].word, "TO") || !strcmp(tk->toks[after].word, "FROM")))
                        return 0;
                end = dm_dom_clause_end(tk, after);
                if (r->nouns[0]) {
                        for (j = after; j < end && j <= after + (size_t)r->gap; j++)
                                if ((nl = dm_phrases_match(r->nouns, tk, j)) || dm_dom_punct(tk, j))
                                        break;
                        if (!nl)
                                return 0;
                        after = j + nl;
                }
                place = dm_dom_place(tk, pc, after, end);
                if (dm_frames_is_passive(tk, i)) {
                        /* "were arrested by police": the agent after "by"
                         * is the source, the subject the target. */
                        size_t h;
                        if (after + 1 >= end || strcmp(tk->toks[after].word, "BY"))
                                return 0;
                        h = after + 1;
                        while (h + 1 < end && (dm_dom_actor_at(a, na, h + 1) >= 0 ||
                                               dm_dom_group_ending(tk, h + 1, &j) >= 0))
                                h++;
                        cls = dm_dom_party(tk, a, na, h, place, ctx, &ev->source);
                        if (!(cls & r->cls))
                                return 0;
                        if (!dm_dom_subject(tk, a, na, i, pc, place, ev->source.country, NULL,
                                            &ev->target))
                                dm_dom_none(&ev->target);
                        after = h + 1;
                } else {
                        cls = dm_dom_subject(tk, a, na, i, pc, place, ctx, prev, &ev->source);
                        if (!(cls & r->cls) || dm_dom_noun_compound(tk, a, na, i, &ev->source))
                                return 0;
                        dm_dom_none(&ev->target);
                        if (r->target == DM_DOM_T_OBJECT && dm_dom_says(r)) {
                                /* Said-verbs take their object right after
                                 * them: "accused the police", not "warned on
                                 * Tuesday that the US". */
                                size_t o = after;
                                if (o < end && dm_text_word_in(tk->toks[o].word, dm_dom_det))
                                        o++;
                                dm_dom_object(tk, a, na, o, o + 1 < end ? o + 1 : end,
                                              ev->source.country, &ev->target);
                                if (ev->target.code[0] &&
                                    (strlen(ev->target.code) == 3 ||
                                     !strcmp(ev->target.code, ev->source.code)))
                                        dm_dom_none(&ev->target);
                        } else if (r->target == DM_DOM_T_OBJECT)
                                dm_dom_object(tk, a, na, r->nouns[0] ? j : after, end,
                                              ev->source.country, &ev->target);
                }
                ev->trig_first = i;
                ev->trig_last = i + tl - 1;
        }
        if (r->target == DM_DOM_T_AGAINST && !ev->target.code[0]) {
                dm_dom_none(&ev->target);
                for (j = after; j + 1 < end; j++)
                        if (!strcmp(tk->toks[j].word, "AGAINST")) {
                                dm_dom_object(tk, a, na, j + 1, end, ev->source.country,
                                              &ev->target);
                                break;
                        }
        }
        if (r->target == DM_DOM_T_PREP) {
                static const char *const preps[] = {"TO",   "WITH",   "FROM",    "AGAINST",
                                                    "ON",   "BY",     "TOWARDS", "TOWARD",
                                                    "OVER", "WITHIN", NULL};
                dm_dom_none(&ev->target);
                for (j = after; j + 1 < end && j < after + 8; j++)
                        if (dm_text_word_in(tk->toks[j].word, preps)) {
                                long k = dm_dom_actor_at(
                                    a, na, j + 1 + !strcmp(tk->toks[j + 1].word, "THE"));
                                if (k >= 0)
                                        dm_dom_party(tk, a, na, a[k].last, NULL, NULL, &ev->target);
                                break;
                        }
                /* "Afghanistan and Pakistan declared a ceasefire". */
                if (!ev->target.code[0] && ev->source.first >= 2 &&
                    ev->source.first != (size_t)-1 &&
                    !strcmp(tk->toks[ev->source.first - 1].word, "AND")) {
                        long k = dm_dom_actor_at(a, na, ev->source.first - 2);
                        if (k >= 0 && !a[k].modifier && a[k].country) {
                                ev->target = ev->source;
                                dm_dom_party(tk, a, na, a[k].last, NULL, NULL, &ev->source);
                        }
                }
        } else if (ev->target.code[0] && strcmp(r->code, "174") &&
                   (!ev->target.country || !ev->source.country ||
                    strcmp(ev->target.country, ev->source.country))) {
                /* A domestic event stays inside one country: an attack on
                 * another country or a deployment abroad is the coder's and
                 * the frames'. */
                dm_dom_none(&ev->target);
        }
        if (ev->target.code[0] && !strcmp(ev->target.code, ev->source.code))
                dm_dom_none(&ev->target);
        if (!strcmp(r->name, "state-fight") &&
            (!ev->target.code[0] || dm_dom_actor_class(ev->target.code) != DM_DOM_V))
                return 0;
        /* Deporting people needs the people: "expelled a diplomat" is the
         * coder's and the frames' (166), not a deportation. */
        /* "charged that ...": an accusation, not a charge in court. */
        if (!strcmp(r->code, "173") && !strncmp(tk->toks[i].word, "CHARGE", 6) &&
            i + 1 < tk->count && dm_text_word_in(tk->toks[i + 1].word, dm_dom_says_next))
                return 0;
        if (!strcmp(r->code, "174") &&
            (!ev->target.code[0] || dm_dom_actor_class(ev->target.code) == DM_DOM_S))
                return 0;
        /* A threat or an accusation is only an event with someone it is
         * made against: "officials warned that ..." is a statement. */
        if ((!strcmp(r->code, "130") || !strcmp(r->code, "112")) && !ev->target.code[0])
                return 0;
        /* Security forces shooting at fighters is combat, which the coder
         * codes between actors; repression (175) is against civilians. */
        if (!strcmp(r->code, "175") &&
            (!ev->target.code[0] || dm_dom_actor_class(ev->target.code) != DM_DOM_C))
                return 0;
        /* Air strikes, shelling and chemical weapons are military force
         * (19x, 20x), not repression or an armed group's attack. */
        if (!strcmp(r->code, "175") || !strncmp(r->code, "18", 2)) {
                size_t from, to;
                dm_flags_clause(tk, i, &from, &to);
                for (j = from; j < to; j++)
                        if (dm_phrases_match(dm_dom_military, tk, j))
                                return 0;
        }
        ev->code = r->code;
        ev->rule = r->name;
        return after - i;
}

void dm_domestic_register_phrases(void)
{
        size_t k;
        for (k = 0; k < sizeof(dm_dom_groups) / sizeof(dm_dom_groups[0]); k++)
                dm_phrases_register(dm_dom_groups[k].words);
        for (k = 0; k < sizeof(dm_dom_rules) / sizeof(dm_dom_rules[0]); k++) {
                dm_phrases_register(dm_dom_rules[k].triggers);
                dm_phrases_register(dm_dom_rules[k].nouns);
        }
        dm_phrases_register(dm_dom_be);
        dm_phrases_register(dm_dom_military);
}

/* The country of the sentence's first actor that is not the object of a
 * preposition ("the US Senate tried to block ... after members of Congress
 * accused"): a better guess for a group named without a country than the
 * article's country. */
static const char *dm_dom_sentence_country(const dm_tokens_t *tk, const dm_frame_actor_t *a,
                                           size_t na)
{
        size_t k, best = (size_t)-1;
        for (k = 0; k < na; k++) {
                size_t b = a[k].first;
                if (!a[k].country || (best != (size_t)-1 && a[best].first < a[k].first))
                        continue;
                if (b > 0 && !strcmp(tk->toks[b - 1].word, "THE"))
                        b--;
                if (b > 0 && dm_text_word_in(tk->toks[b - 1].word, dm_dom_preps))
                        continue;
                best = k;
        }
        return best == (size_t)-1 ? NULL : a[best].country;
}

size_t dm_domestic_code(const dm_tokens_t *tk, const dm_frame_actor_t *actors, size_t nactors,
                        const char *const *place_country, const char *ctx, dm_domestic_event_t *out,
                        size_t max)
{
        size_t i, r, n = 0;
        const char *sc = dm_dom_sentence_country(tk, actors, nactors);
        if (sc)
                ctx = sc;
        for (i = 0; i < tk->count && n < max; i++) {
                /* The first rule that fires at a token wins: the table lists
                 * the specific ("went on a hunger strike") before the
                 * general. */
                for (r = 0; r < sizeof(dm_dom_rules) / sizeof(dm_dom_rules[0]); r++) {
                        size_t len = dm_dom_rule_at(tk, actors, nactors, place_country, ctx,
                                                    &dm_dom_rules[r], i,
                                                    n ? &out[n - 1].source : NULL, &out[n]);
                        if (len) {
                                n++;
                                i += len - 1;
                                break;
                        }
                }
        }
        return n;
}
