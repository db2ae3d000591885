#!/usr/bin/env python3
"""Generate N synthetic news articles as JSON Lines, for the Spark integration test.

Each line is a record {"id": ..., "text": ...} (some also carry extra fields, which
`extract --jsonl` keeps under `meta`). The articles are built from this script's own
templates: real-world style actors (governments, ministries, intelligence services, named
intrusion sets) in sentences about sanctions, accusations, attributions, affiliations and
denials, mixed with neutral filler. Person and company names are invented. Nothing is copied
from third-party text.

The output is deterministic: the same --count and --seed give byte-identical files.

With --edge-cases (the default) a handful of unusual lines are spread through the file, so
that a test also checks that error records keep their place: a record without an id, a line
that is not JSON, an empty line, a numeric id, a non-string text, an empty text, a text with a
byte-order mark, CRLF and non-ASCII text, and one long article.

With --txt-dir DIR the articles are (also) written as DIR/<batch>/<id>.txt files (edge-case
lines are not: they only make sense as JSON Lines), for testing directory input.

Examples:
  python3 spark/generate_articles.py --count 1200 > articles.jsonl
  python3 spark/generate_articles.py --count 300 --no-edge-cases --txt-dir corpus/ --output /dev/null
"""

import argparse
import json
import os
import random
import sys

# --- actors ---------------------------------------------------------------------------

# (full name, short/metonymic name) of governments and blocs that impose measures.
IMPOSERS = [
    ("the United States", "Washington"),
    ("the US Treasury Department", "the Treasury"),
    ("the UK government", "London"),
    ("Britain", "London"),
    ("the Foreign Office", "the Foreign Office"),
    ("the European Union", "Brussels"),
    ("the Council of the European Union", "the Council"),
    ("Canada", "Ottawa"),
    ("Australia", "Canberra"),
    ("Japan", "Tokyo"),
    ("New Zealand", "Wellington"),
    ("Germany", "Berlin"),
    ("France", "Paris"),
    ("The Netherlands", "The Hague"),
]

# Accusers and attributors: agencies and governments.
AGENCIES = [
    "the National Cyber Security Centre",
    "the FBI",
    "the US Justice Department",
    "the Cybersecurity and Infrastructure Security Agency",
    "Microsoft",
    "Germany's Federal Office for Information Security",
    "the Dutch intelligence service",
    "the Australian Signals Directorate",
    "Canada's Communications Security Establishment",
    "the European Commission",
]

# (intrusion set, sponsoring state, sponsoring service)
THREAT_ACTORS = [
    ("APT28", "Russia", "the GRU"),
    ("APT29", "Russia", "the SVR"),
    ("Sandworm", "Russia", "the GRU"),
    ("Turla", "Russia", "the FSB"),
    ("APT31", "China", "the Ministry of State Security"),
    ("APT40", "China", "the Ministry of State Security"),
    ("APT41", "China", "the Ministry of State Security"),
    ("Volt Typhoon", "China", "the People's Liberation Army"),
    ("Lazarus Group", "North Korea", "the Reconnaissance General Bureau"),
    ("Kimsuky", "North Korea", "the Reconnaissance General Bureau"),
    ("Charming Kitten", "Iran", "the Islamic Revolutionary Guard Corps"),
    ("MuddyWater", "Iran", "the Ministry of Intelligence and Security"),
]

DEMONYMS = {"Russia": "Russian", "China": "Chinese", "Iran": "Iranian", "North Korea": "North Korean"}

# Invented people by naming style: (given names, surnames).
NAME_STYLES = {
    "Russia": (["Dmitri", "Sergei", "Alexei", "Yelena", "Igor", "Anatoly", "Olga", "Nikolai", "Pyotr", "Irina"],
               ["Volkov", "Sokolenko", "Morozin", "Belyakov", "Orlovsky", "Zaitsev", "Kirilenko", "Lebedov", "Gromov", "Petrashin"]),
    "China": (["Wei", "Jianhua", "Xiaoming", "Lihua", "Guang", "Hongwei", "Mei", "Zhiqiang", "Yun", "Haitao"],
              ["Zhao", "Liang", "Sun", "Deng", "Guo", "Han", "Tang", "Feng", "Xu", "Cao"]),
    "Iran": (["Reza", "Mehdi", "Hossein", "Farzaneh", "Ali", "Behrouz", "Saeed", "Nasrin", "Majid", "Kaveh"],
             ["Karimi", "Tehrani", "Rostami", "Farahani", "Jafari", "Nouri", "Sadeghi", "Ahmadzadeh", "Mousavi-Nejad", "Bagheri"]),
    "North Korea": (["Kim", "Pak", "Ri", "Choe", "Jon"], ["Song-il", "Jin-hyok", "Chol-min", "Yong-su", "Kwang-ho", "Myong-chol"]),
}

# Western officials who speak: (title, given, surname).
OFFICIAL_TITLES = ["Foreign Secretary", "Deputy Prime Minister", "Treasury Secretary", "Secretary of State",
                   "Attorney General", "Security Minister", "Foreign Minister", "a government spokesperson"]
OFFICIAL_GIVEN = ["Margaret", "Oliver", "Helen", "Thomas", "Sofia", "Daniel", "Ingrid", "Patrick", "Amélie", "Jürgen",
                  "Catherine", "Rahul", "Siobhán", "Marcus", "Élodie"]
OFFICIAL_SURNAMES = ["Whitfield", "Harrow", "Brennan", "Lindqvist", "Okafor", "Delacroix", "Müller", "Castellano",
                     "Pemberton", "Aalto", "Kowalczyk", "Fairbairn", "O'Donnell", "Ashworth", "Nakamura"]

COMPANY_WORDS_A = ["Northstar", "Sinotek", "Baikal", "Caspian", "Pacific Crest", "Red Delta", "Golden Orchid",
                   "Volga", "Jade River", "Persepolis", "Amber Gate", "Silver Birch"]
COMPANY_WORDS_B = ["Technology Co.", "Holdings", "Trading LLC", "Network Security Ltd", "Logistics Group",
                   "Shipping Company", "Software Institute", "Investment Fund"]

CITIES = ["Brussels", "Geneva", "Singapore", "Vienna", "Ottawa", "Canberra", "Tallinn", "Warsaw", "Seoul", "Nairobi"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend", "this week",
        "late on Tuesday", "earlier this month"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

OFFENSES = ["a cyber espionage campaign against parliamentarians", "hacking into the email accounts of officials",
            "interference in the election", "a ransomware attack on hospitals", "stealing vaccine research",
            "targeting critical infrastructure", "laundering the proceeds of cryptocurrency theft",
            "supplying drones for the war in Ukraine", "breaching sanctions on oil exports",
            "a disinformation operation aimed at voters"]
ACTIVITIES = ["cyber attack on the electoral commission", "intrusion into the defence ministry's network",
              "campaign against telecommunications providers", "hack of the national grid operator",
              "ransomware attack on the port authority", "theft of $81 million from the central bank",
              "espionage operation against think tanks", "attack on water utilities"]
MEASURES = ["asset freezes", "travel bans", "an entry ban", "export controls",
            "an arms embargo", "restrictions on financial transactions", "asset freezes and travel bans"]
FILLERS = [
    "Markets in {city} were little changed on the news.",
    "The announcement came ahead of a meeting of foreign ministers in {city} {day}.",
    "Officials declined to say how long the investigation had lasted.",
    "Analysts said the move was largely symbolic but sent a clear signal.",
    "The statement was published on the ministry's website shortly after midnight.",
    "Lawmakers from several parties welcomed the decision, though some said it came too late.",
    "The embassy in {city} did not respond to a request for comment.",
    "Figures released in {month} showed a sharp rise in reported incidents — the highest in five years.",
    "It is the {ordinal} such announcement this year.",
    "“We will not tolerate this behaviour,” one official said, speaking on condition of anonymity.",
]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth"]


def cap(s: str) -> str:
    """The sentence with its first letter capitalized."""
    return s[:1].upper() + s[1:]


class Article:
    """Builds one article from a seeded random source."""

    def __init__(self, rng: random.Random):
        self.r = rng

    def pick(self, xs):
        return self.r.choice(xs)

    def person(self, country: str) -> str:
        given, surnames = NAME_STYLES[country]
        if country in ("China", "North Korea"):
            return f"{self.pick(given if country == 'North Korea' else surnames)} {self.pick(surnames if country == 'North Korea' else given)}"
        return f"{self.pick(given)} {self.pick(surnames)}"

    def official(self):
        title = self.pick(OFFICIAL_TITLES)
        name = f"{self.pick(OFFICIAL_GIVEN)} {self.pick(OFFICIAL_SURNAMES)}"
        if title.startswith("a "):
            return f"{name}, {title},", name
        return f"{title} {name}", name

    def company(self) -> str:
        return f"{self.pick(COMPANY_WORDS_A)} {self.pick(COMPANY_WORDS_B)}"

    def fill(self, template: str) -> str:
        return template.format(city=self.pick(CITIES), day=self.pick(DAYS), month=self.pick(MONTHS),
                               ordinal=self.pick(ORDINALS))

    def build(self):
        actor, state, service = self.pick(THREAT_ACTORS)
        imposer, imposer_short = self.pick(IMPOSERS)
        agency = self.pick(AGENCIES)
        offense = self.pick(OFFENSES)
        activity = self.pick(ACTIVITIES)
        target = self.person(state)
        target2 = self.person(state)
        firm = self.company()
        title_line, speaker = self.official()
        day = self.pick(DAYS)
        year = self.r.randint(2015, 2025)
        month = self.pick(MONTHS)
        n = self.r.randint(2, 12)
        measure = self.pick(MEASURES)

        sanction = [
            f"{imposer} {day} sanctioned {target} and {firm} over {offense}.",
            f"{imposer} imposed {measure} on {target} over {offense}.",
            f"{imposer} said it would freeze the assets of {firm} and ban {target} from entering the country.",
            f"{target} and {target2} were sanctioned by {imposer_short} for their role in {offense}.",
            f"{imposer} is considering sanctions against {firm}, {title_line} said.",
            f"{imposer} threatened to expel {n} diplomats if the attacks continued.",
            f"{imposer} {day} lifted sanctions on {firm} after a review.",
            f"{imposer} has not sanctioned anyone over the {activity}.",
            f"{imposer} expelled {n} {DEMONYMS[state]} diplomats in {month} {year}.",
        ]
        accusation = [
            f"{agency} accused {actor} of {offense}.",
            f"{title_line} accused {state} of {offense}, calling it “reckless and unacceptable”.",
            f"Prosecutors charged {target} and {n} other officers of {service} with {offense}.",
            f"{target}, who is alleged to work for {service}, was indicted in {month} {year}.",
            f"{imposer} blamed {state} for the {activity}.",
        ]
        attribution = [
            f"{agency} attributed the {activity} to {actor}.",
            f"{agency} said {actor}, a group linked to {service}, was behind the {activity}.",
            f"The {activity} was almost certainly carried out by {actor}, according to {agency}.",
            f"{title_line} said {state} was responsible for the {activity} in {month} {year}.",
            f"Investigators linked the {activity} to {actor}.",
        ]
        affiliation = [
            f"{actor} is widely believed to be associated with {service}.",
            f"{firm} is a front company for {service}, according to the indictment.",
            f"{target} is a member of {actor}, investigators said.",
        ]
        denial = [
            f"{state} denied the allegations.",
            f"A spokesperson for the {DEMONYMS[state]} embassy in {self.pick(CITIES)} rejected the accusations as groundless.",
            f"{state} has repeatedly denied any involvement in hacking.",
            f"{firm} denied any wrongdoing in a statement on its website.",
            f"{target} could not be reached for comment; {state} dismissed the claims as “fabricated”.",
        ]

        headline = self.pick([
            f"{cap(imposer_short)} sanctions {state}-linked hackers",
            f"{actor} blamed for {activity}",
            f"{state} denies role in {activity}",
            f"Allies accuse {state} of {offense}",
            f"New measures target {firm}",
        ])
        body = []
        kinds = [sanction, accusation, attribution, affiliation, denial]
        for _ in range(self.r.randint(5, 12)):
            # A few tries to find a sentence the article does not have yet.
            for _ in range(4):
                if self.r.random() < 0.22:
                    sentence = self.fill(self.pick(FILLERS))
                else:
                    sentence = self.pick(self.pick(kinds))
                if sentence not in body:
                    body.append(sentence)
                    break
        # Most articles close with a denial, as real ones often do.
        closing = self.pick(denial)
        if self.r.random() < 0.6 and closing not in body:
            body.append(closing)
        body = [cap(s) for s in body]
        # Paragraphs of one to three sentences.
        paras, i = [], 0
        while i < len(body):
            k = self.r.randint(1, 3)
            paras.append(" ".join(body[i:i + k]))
            i += k
        lead = f"{self.pick(CITIES).upper()} ({self.pick(['Wire report', 'Staff report', 'Our correspondent'])}) — "
        text = headline + "\n\n" + lead + "\n\n".join(paras) + "\n"
        return text, {"section": self.pick(["world", "politics", "technology", "business"]), "year": year}


def edge_cases(rng: random.Random, make):
    """Unusual lines, as (raw line) strings; `make` builds a normal article text."""
    long_text = "\n\n".join(make()[0] for _ in range(40))
    return [
        json.dumps({"text": make()[0]}, ensure_ascii=False),                      # no id: extract names it "line N"
        '{"id": "broken-1", "text": "unterminated',                               # not JSON
        "",                                                                         # empty line
        json.dumps({"id": 900001, "text": make()[0]}),                              # numeric id
        json.dumps({"id": "no-text", "text": None}),                                # text not a string
        json.dumps({"id": "empty-text", "text": ""}),                               # empty text
        json.dumps({"id": "bom", "text": "\ufeff" + make()[0]}, ensure_ascii=False),  # leading BOM
        json.dumps({"id": "crlf", "text": make()[0].replace("\n", "\r\n")}),        # CRLF line ends
        json.dumps({"id": "unicode", "text": "Zhao Wei (赵伟) 🙂 — " + make()[0], "lang": "en"}, ensure_ascii=False),
        json.dumps({"id": "long", "text": long_text}, ensure_ascii=False),
        "[1, 2, 3]",                                                                # JSON but not an object
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--count", type=int, default=1200, help="number of lines to write (default 1200)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--output", default="-", help="JSON Lines file to write (default: stdout)")
    ap.add_argument("--no-edge-cases", dest="edge", action="store_false",
                    help="write only normal records (no error-provoking lines)")
    ap.add_argument("--txt-dir", help="also write the normal articles as DIR/<batch>/<id>.txt files")
    args = ap.parse_args()
    if args.count < 0:
        ap.error("--count must be >= 0")

    rng = random.Random(args.seed)

    def make():
        return Article(rng).build()

    specials = edge_cases(random.Random(args.seed + 1), lambda: Article(rng).build()) if args.edge else []
    # Spread the special lines evenly; the first one lands near the start.
    every = max(1, args.count // (len(specials) + 1)) if specials else 0
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="\n")
    try:
        n_normal = 0
        for i in range(args.count):
            if specials and i % every == min(3, every - 1):
                out.write(specials.pop(0) + "\n")
                continue
            n_normal += 1
            text, extra = make()
            rid = f"art-{n_normal:06d}"
            rec = {"id": rid, "text": text}
            if n_normal % 5 == 0:
                rec.update(extra)  # extra fields travel under "meta"
            out.write(json.dumps(rec, ensure_ascii=(n_normal % 2 == 0)) + "\n")
            if args.txt_dir:
                path = os.path.join(args.txt_dir, f"batch-{(n_normal - 1) // 100:03d}", f"{rid}.txt")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
