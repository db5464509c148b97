"""What a number counts: rules over the real parse of sentences written for these tests."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from kg.extract.counting import figures_in_sentence

CASES = [
    # People held: what became of them decides, not what they are.
    ("Dolgaria released 120 detainees on Friday.", {120: "other"}),
    ("The exchange of 75 hostages and 40 detainees was completed.", {75: "other", 40: "other"}),
    ("In exchange for 20 captured occupiers, we freed 20 of our soldiers.", {20: "other"}),
    ("Another 90 soldiers were brought home on Sunday.", {90: "other"}),
    ("Prosecutors are investigating the execution of nine prisoners of war.", {9: "killed"}),
    ("Dolgaria said it had captured 45 enemy soldiers near the river.", {45: "captured"}),
    # Each clause its own verb: the word before a number does not reach across a comma.
    ("Three rebels died, four others were badly hurt.", {3: "killed", 4: "injured"}),
    # Who a count's people were; the last thing said of them; what is not a count of people.
    (
        "Of the 30 killed, 12 were women and 8 were children.",
        {30: "killed", 12: "killed", 8: "killed"},
    ),
    ("Two wounded soldiers later succumbed to their injuries.", {2: "killed"}),
    # A part of those counted before, whose own verb says they died.
    ("Four of the wounded later died in hospital.", {4: "killed"}),
    (
        "Doctors said 16 people were hurt, with three of them dying in the ambulance.",
        {16: "injured", 3: "killed"},
    ),
    # What people were left, and the states of the wounded and the missing.
    ("Nine others were left wounded by the blast.", {9: "injured"}),
    ("Five of the victims are in critical condition.", {5: "injured"}),
    ("Rights groups say 61 activists were forcibly disappeared.", {61: "captured"}),
    ("Eleven fishermen have disappeared since the raid.", {11: "other"}),
    ("Monitors documented that 14 women were raped.", {14: "other"}),
    # What a compound says a noun does or is for is not what befell it.
    ("The drone strike killed five rescue workers.", {5: "killed"}),
    ("Two evacuation buses have left the village.", {}),
    ("We lost three members of our unit, the commander said.", {3: "killed"}),
    # Who speaks is no count, nor is "one" before a name ("a certain").
    ("The gunmen wore uniforms, one farmer who escaped told reporters.", {}),
    ("They also killed one Ilkovan, a nurse who had come to the village.", {}),
    ("Two of the survivors told reporters that 30 people died.", {30: "killed"}),
    ("Varnia reported one dead and 13 captured.", {1: "killed", 13: "captured"}),
    # A range's second number counts what the first does; what threatens people; a force
    # by which something was done, which may move on.
    ("Every battalion there has between 400 and 600 troops.", {400: "troops", 600: "troops"}),
    (
        "Food ran out in May, leaving some 900,000 people in the valley on the verge of famine.",
        {900_000: "other"},
    ),
    ("Some 20,000 people are at risk of flooding.", {20_000: "other"}),
    (
        "The farmers were shot by a unit of about 100 troops which later left the area.",
        {100: "troops"},
    ),
    # Taken, unless caught in something or unawares; ages before a dash are no counts.
    ("Four herders were caught while sheltering in a barn.", {4: "captured"}),
    ("Two children were caught in the crossfire and killed.", {2: "killed"}),
    ("Three of them, Ilko Varn, 45, and Tomas Brek, 22—were abducted.", {3: "captured"}),
    # Suicide bombers are people; remains are the dead; attackers by whom it was done are a
    # force (not those by whom it was merely helped); factions and one named are no counts.
    ("Police said two suicide bombers struck the bus station.", {2: "troops"}),
    ("Guards shot dead three of the bombers at the gate.", {3: "killed"}),
    ("Police said 2 suicide bombers struck the depot.", {2: "troops"}),
    # People listed before a count whose own words say what befell them share it.
    ("Four farmers, two boys among dead after raid on hamlet", {4: "killed", 2: "killed"}),
    (
        "Troops freed the camp and rescued 40 hostages comprising 25 women and 15 children.",
        {40: "other", 25: "other", 15: "other"},
    ),
    (
        "Some 300 people, including 41 boys, were killed and 900 wounded, including 122 boys "
        "and 77 girls.",
        {300: "killed", 41: "killed", 900: "injured", 122: "injured", 77: "injured"},
    ),
    ("The victims included nine soldiers and two militiamen.", {9: "killed", 2: "killed"}),
    ("Two of the missing herders were found dead by the river.", {2: "killed"}),
    ("Two of the wounded guards vowed to kill the raiders.", {2: "injured"}),
    ("Rebel units now hold roughly 60% of the area.", {60: "territory"}),
    ("The uprising has claimed more than 900 victims.", {900: "killed"}),
    (
        "Varnia sent 7 strategic bombers and 5 Tu-22 bombers aloft.",
        {7: "equipment", 5: "equipment"},
    ),
    ("The troops found three remains in a shallow grave.", {3: "killed"}),
    ("The patrol was attacked by some 40 armed men.", {40: "troops"}),
    ("The raid was helped by two guards who opened the gate.", {}),
    ("Fifteen rebels were killed in a clash between two factions.", {15: "killed"}),
    ("Relatives identified one of the victims as Ilko Varn, a teacher.", {}),
    # Unit names with numbers are names.
    ("Drones hit Battalions 12 and 44 of Brigade 3 in the hills.", {}),
    ("Some 26 battalions were deployed.", {26: "troops"}),
    # Animals and ambushes are not counted.
    ("The herder said 16 donkeys and 40 goats were killed in two ambushes.", {}),
    ("The raid, which opened with three suicide bombings, killed 8 guards.", {8: "killed"}),
    (
        "Monitors verified 12 cases of sexual violence and 30 cases of torture.",
        {12: "other", 30: "other"},
    ),
    ("About 2,300 families are seeking refuge in churches.", {2300: "displaced"}),
    ("The two sides fought two separate gunfights near the border.", {}),
    ("The count of soldiers killed has climbed to 48.", {48: "killed"}),
    ("Some 3,100 people are sheltering in 45 schools and 6 dormitories.", {3100: "trapped"}),
    ("Soldiers carried the bodies of four of their comrades from the checkpoint.", {4: "killed"}),
    ("The fate of 12 more villagers is unknown.", {12: "other"}),
    # Procedures and attacks are not figures.
    ("Prosecutors opened 14 criminal proceedings into the murder of 30 civilians.", {30: "killed"}),
    # Rescues are counted ("other"); hardware in a list after people stays hardware.
    ("Emergency crews rescued 12 people from the rubble.", {12: "other"}),
    (
        "The army lost 300 servicepeople, including 14 tanks and two infantry fighting vehicles.",
        {300: "killed", 14: "equipment", 2: "equipment"},
    ),
    ("The brigade destroyed 61 armoured personnel carriers.", {61: "equipment"}),
    # People called up, saved; places held; what "units of" are; "one of" a counted noun.
    ("The mobilisation will see 300,000 reservists drafted.", {300_000: "troops"}),
    ("Volunteers were able to save seven pupils from a burning school.", {7: "other"}),
    ("By Tuesday the army said it controlled 74 settlements.", {74: "territory"}),
    ("The attackers shelled 19 villages overnight.", {}),
    ("The battalion lost 27 units of armoured vehicles.", {27: "equipment"}),
    ("The navy said one of its sailors died in the blast.", {1: "killed"}),
    ("Medics could not revive her, one of the oldest victims of the siege.", {}),
    ("Police said 240 people had been arrested since the curfew began.", {240: "captured"}),
    ("Six of the village guards were assassinated at the checkpoint.", {6: "killed"}),
    ("In one instance a guard was killed at the gate.", {}),
    ("Seven people, mostly from one family, were wounded.", {7: "injured"}),
    ("Two other rebel fighters who were in the barn escaped.", {}),
    (
        "Two guards died at the gate. One of them worked as a cook.",
        {2: "killed", 1: "killed"},
    ),
    (
        "Medics said one of the dead had been a driver, while the two others had been farmers.",
        {1: "killed", 2: "killed"},
    ),
    ("Four children were among 19 people killed in the raid.", {4: "killed", 19: "killed"}),
    ("Among the victims were 31 miners from the valley.", {31: "killed"}),
    ("Bodies pulled from the mine shaft included at least 12 boys.", {12: "killed"}),
    (
        "Officials said 40 bodies were found and 60 others lie in morgues.",
        {40: "killed", 60: "killed"},
    ),
    ("Some 300 schools have closed, affecting about 90,000 pupils.", {90000: "other"}),
    ("More than 5,000 ethnic Varnians have crossed into Dolgaria.", {5000: "displaced"}),
    ("The wounded included two girls aged four and nine who were hit by shrapnel.", {2: "injured"}),
    ("A father and son, aged about 70 and 40, died in the fire.", {}),
    (
        "The army pushed on to the valley where some 2 million people, many of them displaced, live.",
        {},
    ),
    ("Some 2,000 displaced people live in the camp.", {2000: "displaced"}),
    ("The ambush left one of its sailors dead.", {1: "killed"}),
    (
        "Gunmen numbering about 30 stormed the farm, killing five herders.",
        {30: "troops", 5: "killed"},
    ),
    ("With some guards still unaccounted for, the toll may pass 15.", {15: "killed"}),
    ("Police said six of the hostages had been decapitated.", {6: "killed"}),
    ("Gunmen kidnapped 29 travellers on the highway.", {29: "captured"}),
    ("Two gunmen opened fire on the checkpoint, killing a security guard.", {2: "troops"}),
    ("The army said 20 soldiers killed 5 rebels.", {20: "troops", 5: "killed"}),
    ("Some 80 insurgents encircled the barracks at dawn.", {80: "troops"}),
    ("The blast left two victims in the market.", {}),
    ("Divers found the bodies of nine missing sailors.", {9: "killed"}),
    ("The troops drove back to their base in three vehicles.", {}),
    ("The convoy had 12 tanks and 30 trucks.", {12: "equipment", 30: "equipment"}),
    ("The brigade destroyed 12 armoured vehicles and 3 tanks.", {12: "equipment", 3: "equipment"}),
    ("Two explosive devices went off and detonated near the gate.", {2: "equipment"}),
    ("The army said it had neutralised two (2) gunmen.", {2: "killed"}),
    ("Perhaps 30 others may still lie beneath the rubble.", {30: "trapped"}),
    ("Rescuers brought four children out alive on Friday.", {4: "other"}),
    ("Three civilians were taken to hospital after the shelling.", {3: "injured"}),
    ("The two men, ages 19 and 21, were shot dead.", {2: "killed"}),
    ("Mine clearing is still going on at two more sites in the city.", {}),
    ("A mayor said 8 or 9 traders were still being held.", {8: "captured", 9: "captured"}),
    ("The group said 140 civilians had been tortured in the prison.", {140: "other"}),
    ("Three policemen died in blasts in four provinces.", {3: "killed"}),
    ("A boy was hurt when the two groups of fighters traded fire.", {}),
    (
        "The raid caused the deaths of seven herders and one guard in addition to injuries to "
        "three other herders.",
        {7: "killed", 1: "killed", 3: "injured"},
    ),
    (
        "At least 40 people, including 9 boys, have been killed and 140 more wounded.",
        {40: "killed", 9: "killed", 140: "injured"},
    ),
    (
        "Varnia | Four farmers and two medics killed in drone strike near border",
        {4: "killed", 2: "killed"},
    ),
    # Crimes counted are their victims; gunned down is killed, where shot down is hardware.
    (
        "The province recorded 212 homicides and 38 kidnappings in March.",
        {212: "killed", 38: "captured"},
    ),
    ("Police blamed the gang for the abduction of nine traders.", {9: "captured"}),
    ("Gunmen gunned down six villagers near the well.", {6: "killed"}),
    ("Air defences shot down 12 drones overnight.", {12: "equipment"}),
    # Fleeing as a noun, but not a flight that carries people.
    ("The shelling set off the flight of 20,000 residents.", {20000: "displaced"}),
    ("The last flight carried 120 passengers to the capital.", {}),
    # A number hung on the first of two nouns counts the last; a toll brought to a number.
    (
        "Gunners downed two jets and 11 assault drones that the enemy had sent at dawn.",
        {2: "equipment", 11: "equipment"},
    ),
    ("The raids brought the overall toll since the war began in May to 4,120.", {4120: "killed"}),
    # Hostages: what their own words say became of them; slaughter is killing.
    (
        "The raid killed 340 people, with 75 hostages abducted across the border.",
        {340: "killed", 75: "captured"},
    ),
    ("Militiamen slaughtered 46 villagers with knives.", {46: "killed"}),
    # People in need; "N dead," with no noun; displacement; a force's size by a hyphen.
    ("Two in three residents – 9 million people – need food aid.", {9_000_000: "other"}),
    (
        "A revolt that has left over 900 dead, shut clinics and forced 40,000 to flee.",
        {900: "killed", 40000: "displaced"},
    ),
    ("Shelling has led to the displacement of as many as 80,000 villagers.", {80000: "displaced"}),
    ("Officers said a 16-man squad came under fire near the ford.", {16: "troops"}),
    ("A 4,500-strong brigade will leave the valley in spring.", {4500: "troops"}),
    ("A 5,000-strong crowd marched on the palace.", {}),
    ("A one-man protest and a 12-member panel met.", {}),
    # A count in a few places is no ratio; a noun after "12 victims," is what is counted.
    ("Gunmen killed 46 in two attacks and 2 in 3 villages.", {46: "killed", 2: "killed"}),
    ("The attack left 12 victims, most of them children.", {}),
    ("Two doctors said wounded patients were arriving.", {}),
    # A toll the number says what it is; people reported killed; family members lost.
    ("The toll is thought to be between 70 and 90.", {70: "killed", 90: "killed"}),
    ("Two farmers reported killed by gunmen near the river", {2: "killed"}),
    ("She lost two nephews and five uncles in the raid.", {2: "killed", 5: "killed"}),
    ("Mourners gathered for the funeral of one of her daughters.", {}),
    # Ages, not counts; attempts and communities are no people; a fate says who is counted.
    ("Two pupils under 16 were among the wounded.", {2: "injured"}),
    ("Medics said 800 children under five were treated for burns.", {800: "injured"}),
    ("Gunfire hurt five men during two attempts to cross the line.", {5: "injured"}),
    ("Some 3,500 residents of six hill communities fled south.", {3500: "displaced"}),
    ("Those killed included nine gunners and four medics.", {9: "killed", 4: "killed"}),
    # An aside in dashes is no object; a grave condition is a wound.
    (
        "So far 9 guards died and 31 others injured - mostly children - in the siege.",
        {9: "killed", 31: "injured"},
    ),
    ("Four people in critical condition were evacuated by helicopter.", {4: "injured"}),
    ("Three armoured jeeps were burned in the raid.", {3: "equipment"}),
    # Families who arrive have fled; the next parts of the list say only where from.
    (
        "Aid workers said 70 families arrived from the hills, 45 from the river and 12 from the plain.",
        {70: "displaced", 45: "displaced", 12: "displaced"},
    ),
    ("The camp saw the arrival of 18 households from the plain.", {18: "displaced"}),
    ("About 30 families arrived at the cemetery for the funeral.", {}),
    (
        "Militants killed 12 soldiers, and 300 from nearby villages fled to the city.",
        {12: "killed", 300: "displaced"},
    ),
    ("The army sent two armoured squadrons to the border.", {}),
    ("Three soldiers under 25 died in the ambush.", {3: "killed"}),
    ("About 50 gunmen killed (mostly elderly) villagers in the raid.", {50: "troops"}),
    # A count put at a number says what it counts, whatever words come between.
    ("That takes the tally of dead since the blockade began to 950.", {950: "killed"}),
    ("The mayor set the number of victims in the raid at 17.", {17: "killed"}),
    ("Aid groups put the number of displaced at 6,000.", {6000: "displaced"}),
    # Part of a count before, with a verb of its own; checkpoints are places.
    (
        "The army said some 40 raiders stormed six checkpoints and that guards killed 14 of them.",
        {40: "troops", 14: "killed"},
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_what_a_number_counts(read, text: str, expected: dict[float, str]) -> None:
    got = {f.value: f.category for f in read(text).figures}
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nearly all wounds, 91 per cent, came from shell fragments.",
        "The ministry said it had carried out three prisoner swaps this year.",
        "Some 400 clinics, 9% of the country's total, shut their doors last year.",
        "The report lists 73 massacres carried out since the war began.",
        "Those hurt included pupils as young as six.",
        "Three in four people there need no help, and one in five has left.",
    ],
)
def test_ratios_and_procedures_are_not_figures(read, text: str) -> None:
    assert read(text).figures == []


def test_a_share_of_territory_is_a_figure(read) -> None:
    (f,) = read("Rebel units now hold roughly 60% of the province.").figures
    assert (f.value, f.category, f.qualifier) == (60, "territory", "approx")


def test_datelines_are_no_source_and_victims_are_counted(read) -> None:
    found = read(
        "Dolgino, Varnia (AFP) - The militia said four guards were killed in raids on the "
        "depot, the health ministry said on Tuesday.\n"
    ).figures
    assert [(f.value, f.category) for f in found] == [(4, "killed")]
    assert "Dolgino" not in found[0].source_text
    found = read("The attack killed 40 people. Among the victims were nine women and six children.")
    assert {f.value: f.category for f in found.figures} == {40: "killed", 9: "killed", 6: "killed"}


def test_a_plus_after_a_number_is_more_than_and_burned_alive_is_killed(read) -> None:
    (f,) = read("1,400+ killed in clashes since Sunday, the monitor says.").figures
    assert (f.value, f.qualifier, f.text) == (1400, "more_than", "1,400+")
    (g,) = read("A dozen men were burned alive in the market.").figures
    assert (g.value, g.category) == (12, "killed")
    assert read("Three houses and two junta units were hit near four camps.").figures == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The shelling killed 19 people. The dead included three nurses.",
            {19: "killed", 3: "killed"},
        ),
        ("One hundred and twenty people also sought medical assistance.", {120: "injured"}),
        ("Forty-three people are undergoing treatment in hospital.", {43: "injured"}),
        ("Two explosive devices detonated inside the camp.", {2: "equipment"}),
    ],
)
def test_parts_of_a_toll_treatment_and_numbers_in_words(read, text: str, expected: dict) -> None:
    assert {f.value: f.category for f in read(text).figures} == expected


def test_lists_after_including_and_the_fallen(read) -> None:
    found = read(
        "The raid killed 30 people, including 12 soldiers, 9 police officers and 54 civilians."
    )
    assert {f.value: f.category for f in found.figures} == {
        30: "killed",
        12: "killed",
        9: "killed",
        54: "killed",
    }
    (f,) = read("The army buried 12 fallen soldiers.").figures
    assert f.category == "killed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The army lost more than 900 troops, 12 tanks and 30 vehicles.",
         {900: "more_than", 12: "more_than", 30: "more_than"}),
        ("The strikes caused at least 72 deaths and 43 injuries.", {72: "at_least", 43: "at_least"}),
        ("At least 11 were killed and five wounded.", {11: "at_least", 5: "exact"}),
        ("More than 150 soldiers, a tank and four trucks were destroyed.",
         {150: "more_than", 4: "exact"}),
    ],
)  # fmt: skip
def test_one_hedge_over_a_list_of_nouns_sharing_a_verb(read, text: str, expected: dict) -> None:
    assert {f.value: f.qualifier for f in read(text).figures} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The bombing killed and injured 29 civilians.", {29: ("killed", "exact")}),
        ("At least 11 were killed and five wounded.", {11: ("killed", "at_least"), 5: ("injured", "exact")}),
        ("Rebels torched nearly three dozen army trucks.", {36: ("equipment", "nearly")}),
        ("Officials fear the toll could go well beyond 30 dead.", {30: ("killed", "more_than")}),
        ("Gunmen attacked radio station Varnovo FM 9 on Friday, killing two journalists.", {2: ("killed", "exact")}),
    ],
)  # fmt: skip
def test_combined_tolls_dozens_beyond_and_numbers_in_names(read, text: str, expected: dict) -> None:
    assert {f.value: (f.category, f.qualifier) for f in read(text).figures} == expected


def test_reported_among_the_dead_names_no_source(read) -> None:
    (f,) = read("Village Elder Reported among 13 Killed in Airstrike on Market").figures
    assert (f.value, f.source) == (13, None)


def test_a_toll_before_the_verb_it_rises_by_whatever_the_parser_made_its_subject(nlp) -> None:
    # The parse a small model gave a real headline of this shape: split into two sentences,
    # "attack" the subject of "climbs", "toll" an apposition in the first.
    words = ["Dolgaria", "war", ":", "toll", "in", "Varno", "due", "to"]
    words += ["Varnian", "drone", "attack", "climbs", "to", "37"]
    heads = [1, 1, 1, 1, 3, 4, 3, 6, 10, 10, 11, 11, 11, 12]
    deps = ["compound", "ROOT", "punct", "appos", "prep", "pobj", "prep", "pcomp"]
    deps += ["amod", "compound", "nsubj", "ROOT", "prep", "pobj"]
    pos = ["PROPN", "NOUN", "PUNCT", "NOUN", "ADP", "PROPN", "ADP", "ADP"]
    pos += ["ADJ", "NOUN", "NOUN", "VERB", "ADP", "NUM"]
    lemmas = [w.lower() for w in words[:-3]] + ["climb", "to", "37"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    second = list(doc.sents)[-1]
    assert [(c.number.value, c.category) for c in figures_in_sentence(second)] == [(37, "killed")]


def test_the_loss_of_lives_is_a_toll(read) -> None:
    found = read("Medics said the shelling caused the loss of three lives and wounded five others.")
    assert {f.value: f.category for f in found.figures} == {3: "killed", 5: "injured"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # What is counted is a group or an event, not people, whatever the toll around it.
        ("Fury in the ranks over the rising toll led to two coups last year.", {}),
        ("Among the dead are the leaders of three armed outfits, the army said.", {}),
        # The last day of a span of dates, an age range's first age, a unit's name.
        ("Relatives of the 11 killed on June 14 and 15 want answers, monitors said.", {11: "killed"}),
        ("Medics said six children were wounded, from 11 to 16 years old.", {6: "injured"}),
        ("Units of the 45 Mountain Rifle Brigade entered the valley, the army said.", {}),
    ],
)  # fmt: skip
def test_groups_days_ages_and_unit_names_are_no_counts(read, text: str, expected: dict) -> None:
    assert {f.value: f.category for f in read(text).figures} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # People who attacked are a force, whatever noun counts them; peacekeepers are troops.
        ("Police said at least 80 members of the militia attacked a patrol.", {80: "troops"}),
        ("The mission keeps some 9,000 peacekeepers in the north.", {9000: "troops"}),
        # Each count a sentence brings to a number is of the noun right before its "to".
        ("This brings the number of deaths to 310 and injuries to 1,250, it said.",
         {310: "killed", 1250: "injured"}),
        # A day in brackets after its weekday is a date; graves are no people.
        ("Gunmen on Friday (12) killed four farmers.", {4: "killed"}),
        ("Residents said 60 bodies were found in two mass graves.", {60: "killed"}),
        # A number in words after a date is a count, not the span's last day.
        ("Guards shot dead two hostages on May 6 and wounded five others.",
         {2: "killed", 5: "injured"}),
    ],
)  # fmt: skip
def test_forces_that_attacked_counts_brought_to_numbers_and_dates(
    read, text: str, expected: dict
) -> None:
    assert {f.value: f.category for f in read(text).figures} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Four militiamen and nine policemen fell in battle near the dam.", {4: "killed", 9: "killed"}),
        ("Troops seized eight rifles and two pistols from the gang, the army said.",
         {8: "equipment", 2: "equipment"}),
        ("A drone dropped 15 explosives on the square, killing three, police said.",
         {15: "equipment", 3: "killed"}),
        ("The blast killed nine people, including two guards, and a dozen injured, medics said.",
         {9: "killed", 2: "killed", 12: "injured"}),
        # Who live in a camp as its displaced are counted; hostages set free are "other".
        ("Rebels hit the settlement, home to 70,000 displaced people.", {70000: "displaced"}),
        ("Two abducted teachers were liberated by the army.", {2: "other"}),
        # Taken by fighters is captured; taken to hospital is hurt.
        ("The gunmen also took nine villagers before dawn.", {9: "captured"}),
        ("Soldiers took 12 wounded civilians to hospital.", {12: "injured"}),
    ],
)  # fmt: skip
def test_fallen_in_combat_weapons_seized_a_list_s_own_participle_and_needs(
    read, text: str, expected: dict
) -> None:
    assert {f.value: f.category for f in read(text).figures} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Guards on the rules above: a unit's name needs "the", a span of days close days,
        # a force arms or fights, capture no destination, a fall in combat no other fall.
        ("Two Marine Corps pilots died in the crash.", {2: "killed"}),
        ("Three soldiers died on May 2 and 14 were wounded.", {3: "killed", 14: "injured"}),
        ("Some 2,000 protesters stormed the compound.", {}),
        ("About 50 armed men attacked the village at night.", {50: "troops"}),
        ("Two soldiers fell from a truck during the battle.", {2: "troops"}),
        ("The bombing raised the number of deaths among civilians and soldiers to 40.",
         {40: "killed"}),
    ],
)  # fmt: skip
def test_the_new_count_rules_keep_to_their_cases(read, text: str, expected: dict) -> None:
    assert {f.value: f.category for f in read(text).figures} == expected
