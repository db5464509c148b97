"""Word lists the extraction rules are built from: general English of reporting and counting."""

from __future__ import annotations

# Verbs that attribute a statement (and so a figure) to their subject.
REPORTING_VERBS = frozenset(
    (
        "say tell claim believe estimate record confirm report add state announce warn declare "
        "allege insist reveal disclose put count note write tweet post explain estimate document "
        "identify determine"
    ).split()
)
# Verbs by which evidence speaks ("Figures from the ministry show …"): cues only with an
# information noun as their subject, which names its author or no one.
EVIDENCE_VERBS = frozenset("show suggest indicate".split())
# Verbs that introduce direct speech; a superset, as quotes are framed more freely.
SPEECH_VERBS = REPORTING_VERBS | frozenset(
    (
        "ask beg plead urge vow call reply respond continue accuse shout cry scream whisper "
        "recall admit argue demand conclude comment testify tweet write stress emphasise "
        "emphasize underline read"
    ).split()
)
# Sources that never name anyone: the figure stays unattributed but the hedge is kept. ("It"
# with an active reporting verb, "…, it added.", is a body named before; see extract.)
IMPERSONAL_SUBJECTS = frozenset({"there", "this", "that"})
PLURAL_PRONOUNS = frozenset({"they", "them", "we", "us", "you"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
# Words of news outlets' names: a page title's "… - BBC News" names the publisher, not a source.
OUTLET_WORDS = frozenset(
    (
        "news times post online journal daily herald guardian telegraph tribune reuters ap afp "
        "bbc cnn tass ria interfax ukrinform agency media tv radio press gazette mail express "
        "independent mirror sun standard observer review magazine live blog com wire network "
        "channel broadcasting newsroom"
    ).split()
)
# Labels and topics that open a headline before a colon: "Live:", "Sudan war:", not sources.
SECTION_WORDS = frozenset(
    (
        "live update updates watch video videos analysis opinion explainer explained breaking "
        "exclusive photos pictures timeline factbox fact check q&a war wars crisis conflict "
        "latest revealed report reports comment editorial interview podcast"
    ).split()
)
# Noun cues: "amid reports of 11,000 …", "figures from …".
NOUN_CUES = frozenset({"report", "reports"})

# Titles and roles that precede a name but are not part of it.
TITLES = frozenset(
    (
        "mr mrs ms miss dr prof president mayor governor minister pm premier chancellor general "
        "gen colonel col major lieutenant lt captain capt commander chief sir dame lord lady king "
        "queen prince princess pope sheikh spokesman spokeswoman spokesperson adviser advisor "
        "deputy secretary ambassador envoy director surgeon doctor officer sergeant sgt admiral "
        "marshal senator rep representative judge head leader regional foreign defence defense "
        "interior prime vice acting former ukrainian russian"
    ).split()
)
# Definite role nouns a later sentence uses for a person named earlier ("the mayor said").
PERSON_ROLES = frozenset(
    (
        "mayor governor president minister premier chancellor leader spokesman spokeswoman "
        "spokesperson adviser advisor surgeon doctor commander general chief ambassador envoy "
        "official officer secretary director head"
    ).split()
)
ORG_ROLES = frozenset(
    "ministry council government office agency service army military monitor observatory".split()
)

# Figure categories. Outcome words are checked on the counted noun, then on its verbs.
OUTCOME_LEMMAS: dict[str, str] = {
    **dict.fromkeys(
        (
            "kill die dead death fatality casualty slay slain massacre execute murder toll lose "
            "perish body bodies corpse corpses drown drowned eliminate liquidate neutralise "
            "neutralize behead killing killings execution executions lynch stone"
        ).split(),
        "killed",
    ),
    **dict.fromkeys(
        "injure wound hurt injury injured wounded maim treat hospitalise hospitalize".split(),
        "injured",
    ),
    **dict.fromkeys(
        (
            "flee fled displace displaced refugee evacuate evacuee evacuation escape cross leave "
            "exodus relocate deport uproot uprooted homeless move"
        ).split(),
        "displaced",
    ),
    **dict.fromkeys(
        (
            "trap trapped shelter sheltering besiege besieged siege blockade blockaded remain "
            "stranded hole hide encircle surround"
        ).split(),
        "trapped",
    ),
    **dict.fromkeys(
        "capture captured surrender prisoner pow detain detainee hostage abduct seize".split(),
        "captured",
    ),
    # The schema's "other": people missing, or going hungry.
    **dict.fromkeys(
        (
            "missing unaccounted hunger hungry starve starving starvation famine malnourished "
            "malnutrition rescue save"
        ).split(),
        "other",
    ),
    # People called up: "300,000 drafted", "1,500 recruited a day".
    **dict.fromkeys(
        "draft drafted mobilise mobilize mobilised mobilized recruit conscript".split(), "troops"
    ),
    # Hardware brought down: "14 of them were intercepted".
    **dict.fromkeys("intercept intercepted".split(), "equipment"),
}
# The verb "lose" only counts as killed with people; handled by requiring a people noun.
PEOPLE_ONLY_OUTCOMES = frozenset(
    "lose remain leave cross hide surround move treat siege blockade rescue save draft mobilise "
    "mobilize recruit conscript".split()
)

PEOPLE_NOUNS = frozenset(
    (
        "people person civilian civilians resident residents child children kid kids baby babies "
        "woman women man men adult adults victim victims local locals family families patient "
        "patients citizen citizens ukrainian ukrainians russian russians inhabitant inhabitants "
        "worker workers journalist journalists refugee refugees passenger passengers student "
        "students doctor doctors medic medics boy boys girl girls others more witness witnesses "
        "survivor survivors neighbour neighbours neighbor neighbors nurse nurses volunteer "
        "volunteers rescuer rescuers relative relatives pupil pupils orphan orphans teenager "
        "teenagers national nationals"
    ).split()
)
TROOP_NOUNS = frozenset(
    (
        "troop troops soldier soldiers serviceman servicemen fighter fighters personnel marine "
        "marines paratrooper paratroopers conscript conscripts mercenary mercenaries defender "
        "defenders militant militants commander commanders officer officers sailor sailors pilot "
        "pilots reservist reservists brigade brigades battalion battalions regiment regiments "
        "recruit recruits insurgent insurgents attacker attackers gunman gunmen occupier occupiers "
        "invader invaders servicemember servicemembers servicepeople serviceperson draftee "
        "draftees"
    ).split()
)
EQUIPMENT_NOUNS = frozenset(
    (
        "tank tanks vehicle vehicles apc apcs helicopter helicopters plane planes jet jets "
        "aircraft drone drones uav uavs missile missiles rocket rockets howitzer howitzers "
        "artillery gun guns launcher launchers system systems installation installations weapon "
        "weapons warship warships ship ships boat boats submarine submarines mortar mortars shell "
        "shells bomb bombs munition munitions ammunition round rounds truck trucks bomber bombers "
        "fighter-jet ammo depot depots radar radars mlrs projectile projectiles carrier carriers "
        "platform platforms launch launches"
    ).split()
)
# Words that make a "system"/"installation"/"car" military hardware rather than anything else.
EQUIPMENT_HEADS = EQUIPMENT_NOUNS - {"system", "systems", "installation", "installations"}
TERRITORY_WORDS = frozenset(
    (
        "control controlled occupy occupied hold held territory territories land capture captured "
        "seize seized city region country area zone strip"
    ).split()
)
# Verbs that count places as territory won or held: "Ukraine controlled 74 settlements".
TERRITORY_VERBS = frozenset(
    "control occupy hold capture seize take retake liberate recapture free".split()
)

# Units that make a number an age, a duration, a distance, a size or a time.
NOT_COUNT_UNITS = frozenset(
    (
        "year years yr yrs month months week weeks day days hour hours hr hrs minute minutes min "
        "mins second seconds decade decades century centuries night nights am pm a.m. p.m. mile "
        "miles km kms kilometre kilometres kilometer kilometers metre metres meter meters m ft "
        "feet foot yard yards inch inches mph storey storeys story stories floor floors percent "
        "degrees round rounds times point points"
    ).split()
)
# Counts that are not of people or hardware: procedures and attacks ("eight criminal proceedings
# were opened for the murder of …", "12 strikes hit the city").
NOT_COUNTED_NOUNS = frozenset(
    (
        "proceeding proceedings investigation investigations probe probes indictment indictments "
        "trial trials lawsuit lawsuits verdict verdicts sentence sentences meeting meetings "
        "session sessions resolution resolutions visit visits attack attacks strike strikes "
        "airstrike airstrikes sortie sorties raid raids swap swaps exchange exchanges house "
        "houses home homes building buildings apartment apartments unit units"
    ).split()
)
# People held whose count says what became of them: released or swapped ("other"), or killed.
HELD_NOUNS = frozenset(
    "prisoner prisoners pow pows detainee detainees hostage hostages captive captives".split()
)
RELEASE_WORDS = frozenset(
    "release free exchange swap repatriate repatriation handover return".split()
)
MONTHS = frozenset(
    (
        "january february march april may june july august september october november december "
        "jan feb mar apr jun jul aug sep sept oct nov dec"
    ).split()
)
STREET_WORDS = frozenset(
    (
        "street st road rd avenue ave lane court place square boulevard drive way close crescent "
        "terrace"
    ).split()
)
SETTLEMENT_WORDS = frozenset(
    "city town village port capital metropolis region country settlement suburb camp camps "
    "township townships district districts".split()
)

# Words written before or about a person that tell which pronoun ("he", "she") refers to them.
FEMALE_WORDS = frozenset(
    (
        "mrs ms miss madam madame spokeswoman chairwoman businesswoman congresswoman mother "
        "wife daughter sister grandmother granddaughter girl woman widow actress queen princess "
        "lady dame duchess aunt niece mum mom"
    ).split()
)
MALE_WORDS = frozenset(
    (
        "mr spokesman chairman businessman congressman father husband son brother grandfather "
        "grandson boy man widower actor king prince lord sir duke uncle nephew dad"
    ).split()
)
# Given names ending in -a that are men's (Slavic and others); most -a names are women's.
MALE_A_NAMES = frozenset(
    (
        "nikita ilya misha sasha kuzma foma joshua luca andrea mustafa musa isa yahya mykola "
        "nikola mikola luka kostya dima yura vanya hamza taha osama elijah ezra"
    ).split()
)
# Nouns for a document that carries figures: "It includes 1,000 howitzers" after "X's list".
INFO_NOUNS = frozenset(
    (
        "list report statement figures data document assessment tally count update bulletin "
        "request estimate estimates summary briefing letter post study survey analysis "
        "investigation review image images imagery footage numbers statistics toll"
    ).split()
)
# What a body issues, and speaks through: "'…,' a statement read."
STATEMENT_NOUNS = frozenset("statement communique message letter post release announcement".split())
# Words of a statement about tolls and counts, which statistics after it go on with.
COUNT_WORDS = frozenset("number toll total tally count figure deadliest losses casualties".split())
# Information nouns that by themselves name no one: "according to preliminary estimates" is a
# hedge, where "according to media reports" or "the statement" point to someone.
FACELESS_INFO = frozenset(
    "estimate estimates data figures numbers statistics toll tally count calculations".split()
)

# People without what they need to live: the schema's "other" figures.
NEEDS = frozenset(
    "water food electricity power heat heating gas shelter medicine medicines aid assistance help".split()
)

# Titles that only people carry: a name after one is a person whatever the tagger says.
PERSON_TITLES = frozenset(
    (
        "mr mrs ms miss dr prof gen general president mayor governor colonel col lieutenant lt "
        "captain capt commander sir dame lord lady king queen prince princess pope sheikh senator "
        "judge sergeant sgt admiral marshal"
    ).split()
)
