#!/usr/bin/env python3
"""Build the gazetteers that `extract` embeds: gazetteers/*.tsv and gazetteers/given_names.txt.

The script reads the third-party data folders under shared/data (factbook, misp-galaxy, GOV.UK
register, IfG ministers database, US .gov agency list, PETRARCH-2 dictionaries, OFAC SDN list,
UN consolidated list) plus the hand-curated lists in scripts/gazetteer_manual/*.tsv, and writes
one TSV file per topic in the six-column format documented in gazetteers/README.md:

    surface <TAB> type <TAB> canonical <TAB> name <TAB> attributes <TAB> source

It is run by hand (tests never need shared/data: the Rust build embeds the committed output):

    python3 scripts/gen_gazetteers.py --data ../shared/data --out gazetteers

Output is deterministic (sorted), and the script validates what it writes (six columns, known
types, no empty or over-long surface, no duplicate (surface, type) pair in the whole set, one
name per canonical id) and stops with a non-zero exit status if a check fails. The news corpora
under shared/data (Reuters-21578, BBC) are only *measured* (how often a word occurs in lowercase,
to tell ordinary English words from names); none of their text is copied into the output.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

TYPES = ("PERSON", "ORG", "GPE", "THREAT_ACTOR", "TITLE")
ATTR_ORDER = ("country", "kind", "form", "sponsor", "role", "given", "lower", "match", "context")
MAX_SURFACE = 80

# Output files in priority order: when two files would carry the same (surface, type), the
# earlier file keeps it. Within a file, hand-curated rows win over generated ones.
OUTPUTS = (
    "countries", "places", "international", "gov_bodies", "intelligence_agencies",
    "threat_actors", "sanctioned_cyber", "sanctioned_un", "people", "titles",
)

# ---------------------------------------------------------------------------------------------
# Small helpers


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def clean_space(s: str) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def strip_parens(s: str) -> str:
    prev = None
    while prev != s:
        prev = s
        s = re.sub(r"\s*\([^()]*\)", "", s)
    return clean_space(s.replace("(", " ").replace(")", " "))


def fold_key(s: str) -> str:
    """Key for alias comparison: case-folded, only letters and digits."""
    s = unicodedata.normalize("NFKD", s).casefold()
    return "".join(ch for ch in s if ch.isalnum())


def smart_title(word: str) -> str:
    """Title-case one all-caps name token: MCCAIN -> McCain, O'NEILL -> O'Neill, AL-SISI -> al-Sisi."""
    if re.fullmatch(r"[IVX]+", word):
        return word
    parts = re.split(r"([\-'’])", word)
    out = []
    for i, p in enumerate(parts):
        if p in ("-", "'", "’") or not p:
            out.append(p)
            continue
        low = p.lower()
        if low in ("al", "el", "bin", "ibn", "bint", "ibni") and i == 0 and len(parts) > 1:
            out.append(low)
            continue
        t = p[:1].upper() + p[1:].lower()
        if re.match(r"Mc[a-z]", t):
            t = "Mc" + t[2:3].upper() + t[3:]
        out.append(t)
    return "".join(out)


PARTICLES = {"da", "de", "del", "der", "di", "do", "dos", "das", "du", "la", "le", "van", "von", "al", "el", "bin", "ibn", "y"}


def title_name(s: str) -> str:
    """Title-case an all-caps multi-word name, keeping particles lowercase when not first."""
    words = s.split()
    out = []
    for i, w in enumerate(words):
        if i > 0 and w.lower() in PARTICLES:
            out.append(w.lower())
        else:
            out.append(smart_title(w))
    return " ".join(out)


SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "at", "to", "de", "del", "du", "la", "le", "y"}
KEEP_UPPER = {"LLC", "LLP", "LP", "JSC", "PJSC", "OJSC", "CJSC", "OOO", "OAO", "ZAO", "AO", "PLC", "SA", "AG", "GMBH",
              "LTD", "CO", "FZE", "FZCO", "DMCC", "IT", "IRGC", "PLA", "KPA", "DPRK", "UAE", "USA", "UK", "SRL", "SAS"}


def title_org(s: str) -> str:
    """Title-case an all-caps organisation name (OFAC style)."""
    out = []
    for i, w in enumerate(s.split()):
        core = w.strip(",.()")
        if core.upper() in KEEP_UPPER and core.isupper():
            out.append(w.replace(core, core.upper()) if core.upper() not in ("LTD", "CO", "GMBH") else w.replace(core, {"LTD": "Ltd", "CO": "Co", "GMBH": "GmbH"}[core.upper()]))
        elif i > 0 and core.lower() in SMALL_WORDS:
            out.append(w.lower())
        else:
            out.append(smart_title(w) if w.isupper() else w)
    return " ".join(out)


# ---------------------------------------------------------------------------------------------
# Entries


@dataclass
class Entry:
    surface: str
    type: str
    canonical: str
    name: str
    attrs: dict = field(default_factory=dict)
    source: str = "manual"

    def attr_text(self) -> str:
        if not self.attrs:
            return "-"
        keys = [k for k in ATTR_ORDER if k in self.attrs] + sorted(k for k in self.attrs if k not in ATTR_ORDER)
        return ";".join(f"{k}={self.attrs[k]}" for k in keys)

    def line(self) -> str:
        return "\t".join((self.surface, self.type, self.canonical, self.name, self.attr_text(), self.source))

    def match_key(self):
        """Two entries of one type clash when their match keys are equal."""
        if self.attrs.get("match") == "fold":
            return (self.surface.casefold(), self.type)
        return (self.surface, self.type)


def parse_attrs(text: str) -> dict:
    if text == "-":
        return {}
    out = {}
    for part in text.split(";"):
        k, _, v = part.partition("=")
        out[k] = v
    return out


def read_tsv(path: Path) -> list[Entry]:
    out = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        if len(cols) != 6:
            sys.exit(f"{path}:{n}: expected 6 TAB-separated columns, got {len(cols)}")
        surface, typ, canonical, name, attrs, source = cols
        out.append(Entry(surface, typ, canonical, name, parse_attrs(attrs), source))
    return out


class Collector:
    """Entries for one output file: manual rows first, then generated rows."""

    def __init__(self, name: str):
        self.name = name
        self.entries: list[Entry] = []
        self.sources: set[str] = set()

    def add(self, e: Entry):
        e.surface = clean_space(nfc(e.surface))
        e.name = clean_space(nfc(e.name))
        if not e.surface or len(e.surface) > MAX_SURFACE:
            return
        if re.match(r"(?i)the\s", e.surface):
            e.surface = e.surface[4:].strip()
        self.entries.append(e)
        self.sources.add(e.source)


# ---------------------------------------------------------------------------------------------
# Word statistics from the news corpora (measurement only)


class WordStats:
    def __init__(self, data: Path):
        self.lower = collections.Counter()
        self.any = collections.Counter()
        tok = re.compile(r"[A-Za-z][A-Za-z'\-]*")
        files = [data / "news-reuters21578" / "reuters21578.jsonl", data / "news-bbc" / "bbc_fulltext.jsonl"]
        self.used = [f for f in files if f.exists()]
        for f in self.used:
            with f.open(encoding="utf-8") as fh:
                for line in fh:
                    text = json.loads(line).get("text") or ""
                    for w in tok.findall(text):
                        w = w.strip("'-")
                        if not w:
                            continue
                        self.any[w.casefold()] += 1
                        if w.islower():
                            self.lower[w] += 1

    def load_dictionary(self, committed: Path, full: Path | None):
        """Dictionary look-ups: the committed subset, or a full word list (refreshes the subset)."""
        self.dict_path = committed
        self.full_dict = None
        self.asked = set()
        self.dict_words = set()
        if committed.exists():
            self.dict_words = {l.strip() for l in committed.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")}
        if full is not None:
            self.full_dict = {l.strip() for l in full.read_text(encoding="utf-8", errors="replace").splitlines()
                              if l.strip() and "'" not in l}
        self.lower_of = collections.defaultdict(set)
        for w in self.full_dict if self.full_dict is not None else self.dict_words:
            self.lower_of[w.casefold()].add(w)

    def _look(self, word: str) -> set:
        found = self.lower_of.get(word.casefold(), set())
        if self.full_dict is not None:
            self.asked |= found
        return found

    def dict_word(self, word: str) -> bool:
        """A lowercase (common noun, verb, adjective ...) entry of the word list."""
        return any(w.islower() for w in self._look(word))

    def dict_any(self, word: str) -> bool:
        """Any entry of the word list, proper nouns included (Frankenstein, Callisto)."""
        return bool(self._look(word))

    def save_dictionary(self):
        if self.full_dict is None:
            return
        self.dict_path.write_text(
            "# English words and proper nouns that the gazetteer generator looked up and found in the SCOWL-derived\n"
            "# word list (Debian package wamerican, /usr/share/dict/words). Regenerate with\n"
            "#   python3 scripts/gen_gazetteers.py --dict /usr/share/dict/words\n"
            "# Word list copyright 2000-2011 Kevin Atkinson and others; see gazetteers/LICENSES.md.\n"
            + "\n".join(sorted(self.asked)) + "\n", encoding="utf-8")

    def common(self, word: str, threshold: int = 3) -> bool:
        """True when the word is an ordinary lowercase English word in news text."""
        return self.lower.get(word.casefold(), 0) >= threshold

    def common_name(self, word: str, share: float = 0.2) -> bool:
        """True when a capitalised name is also an ordinary word: written in lowercase at least
        three times and in at least `share` of its uses ("Will", "May", "Mark"; not "William",
        which a few lowercase wire stories also hold)."""
        low = self.lower.get(word.casefold(), 0)
        return low >= 3 and low >= share * self.any.get(word.casefold(), 0)

    def seen(self, word: str, threshold: int = 2) -> bool:
        return self.any.get(word.casefold(), 0) >= threshold


EXTRA_COMMON = {
    # words that the 1987/2004 corpora happen not to show in lowercase often enough
    "cyber", "internet", "online", "email", "hacker", "hackers", "malware", "ransomware", "botnet",
    "phishing", "spyware", "trojan", "worm", "virus", "cloud", "app", "apps", "website", "blog",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}


def is_common(ws: WordStats, word: str) -> bool:
    """An ordinary English word in news text (lowercase frequency in the news corpora)."""
    return word.casefold() in EXTRA_COMMON or ws.common(word)


def is_word(ws: WordStats, word: str) -> bool:
    """Common in news, or a lowercase entry of the English dictionary word list."""
    return is_common(ws, word) or ws.dict_word(word)


# ---------------------------------------------------------------------------------------------
# Countries (CIA World Factbook + GeoNames via misp-galaxy country.json)

# FIPS 10-4 codes whose factbook name does not match the GeoNames name (None = no ISO code).
FIPS_ISO = {
    "cf": "CG", "cg": "CD", "ct": "CF", "ga": "GM", "iv": "CI", "sh": "SH", "fs": "TF", "at": None,
    "ck": "CC", "cr": None, "fm": "FM", "pc": "PN", "um": None, "wq": None, "bf": "BS", "bq": None,
    "dr": "DO", "vq": "VI", "bm": "MM", "mc": "MO", "pf": None, "pg": None, "ax": None, "dx": None,
    "jn": None, "sv": "SJ", "vt": "VA", "ae": "AE", "gz": "PS", "we": "PS", "ip": None, "us": "US",
    "fk": "FK", "sx": "GS", "io": "IO", "ee": None, "xx": None, "kv": "XK",
}

# Territories and dependencies -> sovereign (kind=region with country=<sovereign>).
DEPENDENCIES = {
    "AS": "US", "GU": "US", "MP": "US", "PR": "US", "VI": "US", "UM": "US",
    "AI": "GB", "BM": "GB", "IO": "GB", "VG": "GB", "KY": "GB", "FK": "GB", "GI": "GB", "MS": "GB",
    "PN": "GB", "SH": "GB", "GS": "GB", "TC": "GB", "GG": "GB", "JE": "GB", "IM": "GB",
    "CX": "AU", "CC": "AU", "NF": "AU", "HM": "AU", "CK": "NZ", "NU": "NZ", "TK": "NZ",
    "GL": "DK", "FO": "DK", "AW": "NL", "CW": "NL", "SX": "NL", "BQ": "NL",
    "PF": "FR", "NC": "FR", "WF": "FR", "PM": "FR", "BL": "FR", "MF": "FR", "TF": "FR", "GF": "FR",
    "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "HK": "CN", "MO": "CN", "SJ": "NO", "BV": "NO",
    "AX": "FI", "EH": "EH", "PS": "PS", "TW": "TW", "AQ": "AQ",
}
SKIP_ISO = {"CS", "AN"}  # Serbia and Montenegro, Netherlands Antilles (dissolved)
NAME_PARTICLES = {"la", "de", "del", "es", "au", "do", "da", "of", "the", "and", "al", "el"}


def load_geonames(data: Path):
    vals = json.loads((data / "misp-galaxy" / "country.json").read_text(encoding="utf-8"))["values"]
    geo = {}
    for v in vals:
        m = v["meta"]
        iso = m["ISO"]
        geo[iso] = {"name": clean_space(v["description"]), "pop": int(m.get("Population") or 0), "capital": m.get("Capital", "")}
    return geo


def load_factbook(data: Path):
    return [json.loads(l) for l in (data / "factbook" / "factbook_government_subset.jsonl").open(encoding="utf-8")]


def name_norm(s: str) -> str:
    return re.sub(r"[^a-z]", "", (s or "").lower())


def fips_to_iso(fb, geo):
    by_name = {name_norm(g["name"]): iso for iso, g in geo.items()}
    out = {}
    for d in fb:
        f = d["fips"]
        if f in FIPS_ISO:
            out[f] = FIPS_ISO[f]
            continue
        iso = None
        for n in (d.get("name_short"), d.get("name_long")):
            if n and name_norm(n) in by_name:
                iso = by_name[name_norm(n)]
                break
        out[f] = iso
    return out


def split_nationality(s: str | None) -> list[str]:
    """'Briton(s), British (collective plural)' -> ['Briton', 'Britons', 'British']."""
    if not s or s.strip() in ("NA", "none") or s.startswith("NA "):
        return []
    s = re.sub(r";?\s*note\s*-.*$", "", s)
    s = re.sub(r"\(or ([^)]*)\)", r", \1", s)
    s = re.sub(r"\((?:singular|plural|singular and plural|colloquial|collective plural|US citizens|US nationals)[^)]*\)", "", s)
    out = []
    for part in re.split(r",|;|\bor\b|/", s):
        part = clean_space(part)
        if not part or not part[0].isupper():
            continue
        m = re.fullmatch(r"(.+?)\((s|es|men|women)\)", part)
        if m:
            base, suf = m.group(1).strip(), m.group(2)
            out.append(base)
            if suf in ("s", "es"):
                out.append(base + suf)
            elif base.endswith("man") and suf == "men":
                out.append(base[:-3] + "men")
            elif base.endswith("woman") and suf == "women":
                out.append(base[:-5] + "women")
            continue
        part = strip_parens(part)
        if part and part[0].isupper() and "(" not in part:
            out.append(part)
    return [p for p in out if re.fullmatch(r"[A-Z][\w'’\- ]*", p)]


def split_capitals(s: str | None) -> list[str]:
    if not s:
        return []
    s = re.sub(r";?\s*note\s*-.*$", "", s)
    out = []
    for seg in re.split(r";|\),", s):
        seg = strip_parens(seg).strip(" ,.")
        if not seg:
            continue
        words = seg.split()
        if not words[0][0].isupper():
            continue
        if all(w[0].isupper() or w.lower() in NAME_PARTICLES for w in words) and "," not in seg:
            out.append(seg)
    return out


def clean_country_name(n: str | None) -> list[str]:
    if not n or n.strip().lower() == "none":
        return []
    n = n.split(";")[0]
    n = strip_parens(n)
    out = []
    for part in n.split(", ") if re.fullmatch(r"[A-Z][\w'’ ]*(, [A-Z][\w'’ ]*)+", n) else [n]:
        part = clean_space(part)
        if part.lower().startswith("the "):
            part = part[4:]
        if part and part[0].isupper():
            out.append(part)
    return out


def build_countries(data, fb, geo, ws, manual, ifg_given, col: Collector):
    fmap = fips_to_iso(fb, geo)
    manual_names = {}
    for e in manual:
        if e.canonical.startswith("ISO3166:"):
            manual_names.setdefault(e.canonical, e.name)
    # collect candidates per surface first so that clashing demonyms ("Korean", "Congolese")
    # go to the sovereign state with the largest population
    cands = collections.defaultdict(list)  # surface -> [(rank, Entry)]
    seen_iso = set()

    def rank(iso):
        sovereign = 0 if iso not in DEPENDENCIES else 1
        return (sovereign, -geo.get(iso, {}).get("pop", 0), iso)

    def attrs_for(iso, form):
        sov = DEPENDENCIES.get(iso)
        if sov is None:
            return {"country": iso, "kind": "country", "form": form}
        return {"country": sov, "kind": "region", "form": form}

    def display(iso, fallback):
        return manual_names.get(f"ISO3166:{iso}") or fallback

    for d in fb:
        iso = fmap.get(d["fips"])
        if not iso or iso in SKIP_ISO:
            continue
        seen_iso.add(iso)
        names = clean_country_name(d.get("name_short")) + clean_country_name(d.get("name_long"))
        if iso in geo:
            names.append(geo[iso]["name"])
        names = [n for n in names if n not in ("DRC", "The Dominican", "Dominican")]
        if not names:
            continue
        disp = display(iso, names[0])
        can = f"ISO3166:{iso}"
        for n in names:
            cands[n].append((rank(iso), Entry(n, "GPE", can, disp, attrs_for(iso, "name"), "factbook")))
        abbr = d.get("abbreviation") or ""
        for a in re.split(r"\s+or\s+|,", strip_parens(abbr)):
            a = a.strip()
            if re.fullmatch(r"[A-Z][A-Z.]{2,}", a):
                cands[a].append((rank(iso), Entry(a, "GPE", can, disp, attrs_for(iso, "abbreviation"), "factbook")))
        for adj in split_nationality(d.get("nationality_adjective")):
            cands[adj].append((rank(iso), Entry(adj, "GPE", can, disp, attrs_for(iso, "adjective"), "factbook")))
        for noun in split_nationality(d.get("nationality_noun")):
            cands[noun].append((rank(iso), Entry(noun, "GPE", can, disp, attrs_for(iso, "demonym"), "factbook")))
        if iso not in DEPENDENCIES or iso in ("TW", "HK"):
            for cap in split_capitals(d.get("capital")):
                if is_common(ws, cap) or cap in ifg_given:
                    continue
                cands[cap].append(((2,) + rank(iso), Entry(cap, "GPE", can, disp, attrs_for(iso, "capital"), "factbook")))
    # GeoNames countries the factbook lacks (French overseas departments, Aland, Bonaire ...)
    for iso, g in sorted(geo.items()):
        if iso in seen_iso or iso in SKIP_ISO:
            continue
        for n in clean_country_name(g["name"])[:1]:
            cands[n].append((rank(iso), Entry(n, "GPE", f"ISO3166:{iso}", display(iso, n), attrs_for(iso, "name"), "geonames")))
    for surface in sorted(cands):
        best = sorted(cands[surface], key=lambda x: (x[0], x[1].attrs["form"] != "name", x[1].attrs["form"] != "adjective"))
        col.add(best[0][1])


# ---------------------------------------------------------------------------------------------
# Government bodies

GENERIC_ORG_WORDS = set("""
intelligence security service services agency national state general directorate department bureau office
branch division military special federal information foreign internal defence defense counter counterintelligence
unit financial command centre center of the and for ministry police criminal investigation investigations army
naval navy air force forces crime strategic research analysis protection affairs council committee organisation
organization news main chief joint cyber signals communications institute republic administration secret public
coast guard guards border land ground marine marines corps operations reserve territorial people's peoples popular
gendarmerie presidential republican royal armed supreme court courts high constitutional appeal appeals justice
assembly parliament congress senate house representatives legislative chamber council party democratic
aerospace airborne aviation militia missile rocket troops space cyberspace logistics support self-defense self defense
surveillance maritime bodyguard commando elite interior emergency rescue engineering engineers artillery infantry
federation union
""".split())

MAJOR_COUNTRIES = {"US", "GB", "CN", "RU", "IR", "KP", "KR", "JP", "DE", "FR", "IN", "PK", "IL", "UA", "AU", "NZ", "CA", "TW"}


def distinctive(name: str) -> bool:
    words = re.findall(r"[\w'’]+", name.lower())
    return any(w not in GENERIC_ORG_WORDS for w in words)


class OrgBuilder:
    """Groups of ORG surfaces for one entity, attached to a manual entity where they share a surface."""

    def __init__(self, manual: list[Entry]):
        self.manual_by_surface = {}
        for e in manual:
            if e.type == "ORG":
                self.manual_by_surface[e.surface] = e
        self.manual_by_canonical = {e.canonical: e for e in manual if e.type == "ORG" and e.canonical != "-"}
        self.groups = []  # (canonical, name, attrs, [(surface, form)], source)

    def group(self, canonical, name, attrs, surfaces, source):
        # attach to a manual entity that shares a surface and the country
        target = None
        if canonical in self.manual_by_canonical:
            target = self.manual_by_canonical[canonical]
        for s, _ in surfaces:
            m = self.manual_by_surface.get(s)
            if m and m.attrs.get("country") == attrs.get("country"):
                target = m
                break
        if target is not None:
            canonical, name = target.canonical, target.name
            attrs = dict(attrs)
            attrs["kind"] = target.attrs.get("kind", attrs.get("kind"))
        self.groups.append((canonical, name, attrs, surfaces, source))

    def emit(self, col: Collector):
        for canonical, name, attrs, surfaces, source in self.groups:
            for s, form in surfaces:
                a = dict(attrs)
                a["form"] = form
                col.add(Entry(s, "ORG", canonical, name, a, source))


def apostrophe_variants(s: str) -> list[str]:
    out = [s]
    if "’" in s:
        out.append(s.replace("’", "'"))
    if "&" in s:
        out.append(s.replace("&", "and"))
    return out


def build_uk_orgs(data, ws, ob: OrgBuilder):
    d = data / "uk-government-organisations"
    orgs = {}
    with (d / "government-organisation.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            orgs[row["government-organisation"]] = clean_space(row["name"])
    abbrevs = collections.defaultdict(list)
    with (d / "abbreviation.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            abbrevs[row["government-organisation"]].append(row["abbreviation"].strip())
    # IfG department short names give the real casing of abbreviations (DfE, MoD, Defra)
    ifg = list(csv.DictReader((data / "uk-ministers-ifg" / "organisation.csv").open(encoding="utf-8")))
    casing = {r["short_name"].lower(): r["short_name"] for r in ifg if r["short_name"]}
    abbr_count = collections.Counter(a for lst in abbrevs.values() for a in set(lst))
    for oid in sorted(orgs, key=lambda x: (re.sub(r"\d", "", x), int(re.sub(r"\D", "", x) or 0))):
        name = orgs[oid]
        if name.lower().startswith("the "):
            name = name[4:]
        if not name or (" " not in name and is_word(ws, name)):
            continue
        prefix = re.sub(r"\d", "", oid)
        kind = "government" if prefix in ("D", "DA") else "agency"
        surfaces = [(v, "name") for v in apostrophe_variants(name)]
        for a in sorted(set(abbrevs.get(oid, []))):
            if abbr_count[a] > 1 or not re.fullmatch(r"[a-z0-9&]{3,8}", a) or is_word(ws, a):
                continue
            a2 = casing.get(a, a.upper())
            surfaces.append((a2, "abbreviation"))
        ob.group(f"GOVUK:{oid}", name, {"country": "GB", "kind": kind}, surfaces, "govuk")
    # IfG departments (newer ones are missing from the 2017 register)
    by_norm = {name_norm(n.replace("&", "and")): oid for oid, n in orgs.items()}
    skip_short = {"DoEnv", "DoEm", "DoTr", "DESc", "DoI", "DoE", "DoT", "OPS", "OAG", "CSD", "OPSS", "DPM", "Scot", "Wal", "GEO"}
    for r in sorted(ifg, key=lambda r: (r["name"], r["start_date"])):
        name = clean_space(r["name"])
        oid = by_norm.get(name_norm(name.replace("&", "and")))
        can = f"GOVUK:{oid}" if oid else "-"
        surfaces = [(v, "name") for v in apostrophe_variants(name)]
        sn = r["short_name"]
        if sn and sn not in skip_short and " " not in sn and len(sn) >= 3 and (sum(c.isupper() for c in sn) >= 2 or sn == "Defra"):
            surfaces.append((sn, "abbreviation"))
        ob.group(can, orgs.get(oid, name) if oid else name, {"country": "GB", "kind": "government"}, surfaces, "ifg")


US_SKIP = {"Other", "Departmental Management", "Defense-wide", "General Administration", "Interest on the Public Debt",
           "Radiation Exposure Compensation", "Legal Activities and U.S. Marshals", "Fiscal Service", "Army", "Air Force",
           "Navy, Marine Corps", "Science and Technology", "Analysis and Operations", "Management Directorate",
           "Departmental Offices", "International Commissions", "Administration of Foreign Affairs",
           "International Organizations and Conferences", "Interagency Law Enforcement", "Federal Prison System",
           "Office of the Inspector General", "Office of the Secretary and Executive Management", "Office of Health Affairs",
           "Environmental and Other Defense Activities", "Retiree Health Care", "Standard Setting Body", "Affordable Housing Program",
           "Senate", "House of Representatives", "Library of Congress", "Other Defense Civil Programs"}
US_HEADS = re.compile(r"\b(Department|Agency|Administration|Bureau|Service|Office|Commission|Board|Corporation|Council|Institute|"
                      r"Foundation|Authority|Court|Network|Survey|Guard|Mint|Center|Centre|Patrol|Enforcement|Protection|Security|"
                      r"Marshals|Reserve|Trust|Bank|Museum|Institution|Archives|Representative|System|Fund)\b")


def build_us_orgs(data, ws, ob: OrgBuilder):
    rows = list(csv.reader((data / "us-federal-agencies" / "agencies-and-subs.csv").open(encoding="utf-8")))[1:]
    names = set()
    for r in rows:
        for n in r[:2]:
            n = clean_space(n).strip(" ,")
            if n and n not in US_SKIP and US_HEADS.search(n) and len(n.split()) >= 2:
                names.add(n)
    for n in sorted(names):
        kind = "government" if n.startswith("Department of") else ("court" if "Court" in n else "agency")
        surfaces = [(n, "name")]
        m = re.match(r"(?:U\.S\.|United States) (.+)$", n)
        if m:
            rest = m.group(1)
            surfaces.append((f"US {rest}", "name"))
            if len(rest.split()) >= 3 or rest in ("Secret Service", "Geological Survey", "Sentencing Commission", "Tax Court", "Parole Commission"):
                surfaces.append((rest, "name"))
        ob.group("-", n, {"country": "US", "kind": kind}, surfaces, "cisa")


def parse_named(text: str) -> list[tuple[str, list[str]]]:
    """'Name or ABBR' / 'Name (ABBR)' lines -> [(name, [abbr...])]."""
    out = []
    if not text:
        return out
    for line in re.split(r"\n|;", text):
        line = clean_space(line)
        if not line or not line[0].isupper() or ":" in line or line.lower().startswith("note"):
            continue
        abbrs = []
        m = re.match(r"^(.*?)\s*\(([A-Z][A-Za-z]{1,8})\)\s*$", line)
        if m:
            line, abbrs = m.group(1), [m.group(2)]
        base = strip_parens(line)
        parts = [clean_space(p) for p in re.split(r"\s+or\s+", base)]
        name = parts[0]
        for p in parts[1:]:
            if re.fullmatch(r"[A-Z][A-Za-z0-9&!\-]{1,8}", p) and sum(c.isupper() for c in p) >= 2:
                abbrs.append(p)
        if name and name[0].isupper() and len(name) <= MAX_SURFACE:
            out.append((name, abbrs))
    return out


def parse_forces(text: str) -> list[tuple[str, list[str]]]:
    out = []
    if not text:
        return out
    for m in re.finditer(r"((?:[A-Z][\w'’\-]*|of|the|and|for|de)(?: (?:[A-Z][\w'’\-]*|of|the|and|for|de))+) \(([A-Z][A-Za-z]{1,8})[;,)\s]", text):
        name = m.group(1)
        while name.split()[0] in ("of", "the", "and", "for", "de"):
            name = name.split(" ", 1)[1]
        name = re.sub(r"^(?:The|Ministry of \w+:)\s+", "", name)
        abbr = m.group(2)
        if sum(c.isupper() for c in abbr) < 2:
            abbr = None
        if len(name.split()) >= 2 and distinctive(name):
            out.append((name, [abbr] if abbr else []))
    return out


def build_factbook_orgs(fb, fmap, ws, ob: OrgBuilder):
    cands = collections.defaultdict(set)  # surface -> {(iso, kind, name)}
    groups = []
    for d in fb:
        iso = fmap.get(d["fips"])
        if not iso or iso in DEPENDENCIES:
            continue
        items = []
        for key in ("legislature_name", "legislature_lower_chamber", "legislature_upper_chamber"):
            for n, ab in parse_named(d.get(key) or ""):
                items.append(("legislature", n, ab))
        courts = d.get("highest_courts") or ""
        for part in courts.split(";"):
            n = clean_space(part.split(" (")[0].split(",")[0])
            for alt in re.split(r"\s+or\s+", n):
                if alt and alt[0].isupper() and len(alt.split()) >= 2:
                    items.append(("court", alt, []))
        for n, ab in parse_named(d.get("political_parties") or ""):
            items.append(("party", n, ab))
        for n, ab in parse_forces(d.get("military_and_security_forces") or ""):
            items.append(("military", n, ab))
        for kind, n, ab in items:
            n = n.strip(" ,.")
            if len(n) < 3 or (" " not in n and is_word(ws, n)) or re.match(r"(?:A|An|The) ", n):
                continue
            min_abbr = 3 if iso in MAJOR_COUNTRIES else 4
            surfaces = [(n, "name")] + [(a, "abbreviation") for a in ab if len(a) >= min_abbr and not is_word(ws, a)]
            groups.append((iso, kind, n, surfaces))
            for s, _ in surfaces:
                cands[s].add((iso, n))
    for iso, kind, n, surfaces in groups:
        keep = [(s, f) for s, f in surfaces if len({c[0] for c in cands[s]}) == 1 and len(cands[s]) == 1 or
                (f == "name" and len({c[0] for c in cands[s]}) == 1)]
        if not keep or keep[0][0] != n:
            continue
        if not distinctive(n) and kind != "party":
            continue
        ob.group("-", n, {"country": iso, "kind": kind}, keep, "factbook")


def build_intel_agencies(data, ws, manual_surfaces, col: Collector):
    vals = json.loads((data / "misp-galaxy" / "intelligence-agencies.json").read_text(encoding="utf-8"))["values"]
    groups = []
    abbr_count = collections.Counter()
    for v in vals:
        iso = (v.get("meta") or {}).get("country")
        val = re.sub(r"\[\d+\]", "", v["value"])
        val = re.sub(r"\s*\(page does not exist\)", "", val)
        val = re.sub(r"^\w\w:", "", val)
        desc = re.sub(r"\[\d+\]", "", v.get("description") or "")
        names = []
        abbr = None
        m = re.match(r"^([A-Z][A-Za-z'’\- ,&]+?)\s*\(([A-Z][A-Za-zÀ-ÿ&\-]{1,9})\)", desc)
        if m and distinctive(m.group(1)):
            names.append(clean_space(m.group(1)))
            if sum(c.isupper() for c in m.group(2)) >= 2 and len(m.group(2)) >= 3:
                abbr = m.group(2)
        base = clean_space(re.sub(r"\s*\([^)]*\)\s*$", "", val))
        if base and re.fullmatch(r"[A-Z][\w'’\- &]+", base) and distinctive(base) and " " in base:
            names.append(base)
        names = list(dict.fromkeys(n for n in names if 3 <= len(n) <= MAX_SURFACE and not n.endswith(" and")))
        if not names:
            continue
        if abbr:
            abbr_count[abbr] += 1
        groups.append((iso, names, abbr))
    name_count = collections.Counter(n for _, names, _ in groups for n in names)
    for iso, names, abbr in groups:
        names = [n for n in names if name_count[n] == 1]
        if not names:
            continue
        attrs = {"kind": "agency"}
        if iso:
            attrs["country"] = iso
        surfaces = [(n, "name") for n in names]
        if abbr and abbr_count[abbr] == 1 and not is_word(ws, abbr):
            surfaces.append((abbr, "abbreviation"))
        if any(s in manual_surfaces for s, _ in surfaces):
            continue  # the hand list already has this agency
        for s, form in surfaces:
            a = dict(attrs)
            a["form"] = form
            col.add(Entry(s, "ORG", "-", names[0], a, "misp-galaxy"))


# ---------------------------------------------------------------------------------------------
# Threat actors (misp-galaxy threat-actor + mitre-intrusion-set + microsoft-activity-group)

DISTINCTIVE_TA = re.compile(r"\b(Panda|Bear|Kitten|Chollima|Spider|Typhoon|Blizzard|Sandstorm|Sleet|Tempest|Hail|Jackal|"
                            r"Tiger|Leopard|Buffalo|Ocelot|Wolf|Lynx|Saiga|Team|Group|Gang|APT)\b", re.I)
# single-word aliases that are the names of well-known companies, products or characters
TA_NAME_CLASH = {"alibaba", "foxmail", "labubu", "popeye", "frankenstein", "indra", "polaris", "nitro", "kairos", "zarya",
                 "sauron", "strider", "callisto", "golem", "templar", "paladin", "morpho", "bahamut", "windigo", "sidewinder",
                 "matanbuchus", "hezb", "madi", "sima", "kazu", "karst", "nazar", "mimo", "luder", "danti", "ups", "tsb",
                 "lexus", "superman", "gentlemen", "monti", "gref", "cardinal"}
TA_STOP = {"unknown", "apt", "group", "team", "hackers", "hacker", "anonymous group", "operation", "g0000"}


def country_iso_from_name(name: str, name_to_iso: dict) -> str | None:
    if not name:
        return None
    n = re.sub(r"\s*\(.*?\)", "", name)
    specials = {"Iran (Islamic Republic of)": "IR", "Russian Federation": "RU", "Korea (Democratic People's Republic of)": "KP",
                "Korea (Republic of)": "KR", "People's Republic of China": "CN", "US": "US", "United States": "US", "Palestine": "PS",
                "Vietnam": "VN", "Unknown": None}
    if name in specials:
        return specials[name]
    return name_to_iso.get(name_norm(n))


def build_threat_actors(data, ws, blocked_surfaces, name_to_iso, col: Collector, given_names: set):
    g = data / "misp-galaxy"
    mitre = json.loads((g / "mitre-intrusion-set.json").read_text(encoding="utf-8"))["values"]
    ta = json.loads((g / "threat-actor.json").read_text(encoding="utf-8"))["values"]
    ms = json.loads((g / "microsoft-activity-group.json").read_text(encoding="utf-8"))["values"]

    def ok_alias(a: str) -> bool:
        k = fold_key(a)
        # a name starts with a letter or digit: "[Unnamed group]" is a placeholder, not a name
        return (len(k) >= 3 and a[:1].isalnum() and a.casefold() not in TA_STOP and not k.isdigit() and len(a) <= MAX_SURFACE
                and not re.search(r"[():;=\t]", a))

    records = []  # src, primary, aliases, mitre, sponsors, uuid
    for v in mitre:
        m = re.match(r"^(.*) - (G\d{4})$", v["value"])
        primary, gid = (m.group(1), m.group(2)) if m else (v["value"], v["meta"].get("external_id"))
        aliases = [primary] + list(v["meta"].get("synonyms") or []) + [gid]
        records.append({"src": "mitre-attack", "primary": primary, "aliases": aliases, "mitre": gid, "sponsors": [], "uuid": v["uuid"]})
    for v in ta:
        meta = v.get("meta") or {}
        aliases = [v["value"]] + list(meta.get("synonyms") or [])
        aliases += [a.split(":")[0] for a in meta.get("name-attribution") or []]
        sponsors = []
        if meta.get("country"):
            sponsors.append(meta["country"].upper())
        sp = country_iso_from_name(meta.get("cfr-suspected-state-sponsor"), name_to_iso)
        if sp:
            sponsors.append(sp)
        records.append({"src": "misp-galaxy", "primary": v["value"], "aliases": aliases, "mitre": None, "sponsors": sponsors, "uuid": v["uuid"]})
    for v in ms:
        meta = v.get("meta") or {}
        aliases = [v["value"]] + list(meta.get("synonyms") or [])
        sponsors = [meta["country"].upper()] if meta.get("country") else []
        records.append({"src": "misp-galaxy", "primary": v["value"], "aliases": aliases, "mitre": None, "sponsors": sponsors,
                        "uuid": v["uuid"], "ms": True})
    for r in records:
        r["aliases"] = [re.sub(r"^(?i:the)\s+", "", clean_space(nfc(a))) for a in r["aliases"] if a]
        r["aliases"] = list(dict.fromkeys(a for a in r["aliases"] if ok_alias(a)))
        r["keys"] = sorted({fold_key(a) for a in r["aliases"]})
        r["pkey"] = fold_key(r["primary"])

    # keys claimed by several MITRE groups, by many records, or that are ordinary words are not merged on
    mitre_claims = collections.defaultdict(set)
    rec_claims = collections.Counter()
    for r in records:
        for k in r["keys"]:
            rec_claims[k] += 1
            if r["mitre"]:
                mitre_claims[k].add(r["mitre"])
    word_alias = {fold_key(a) for r in records for a in r["aliases"] if " " not in a and is_word(ws, a)}
    contested = {k for k, st in mitre_claims.items() if len(st) > 1} | {k for k, c in rec_claims.items() if c >= 5} | word_alias

    parent = list(range(len(records)))
    comp_mitre = {i: ({r["mitre"]} if r["mitre"] else set()) for i, r in enumerate(records)}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i, j):
        a, b = find(i), find(j)
        if a == b:
            return
        if comp_mitre[a] and comp_mitre[b] and comp_mitre[a] != comp_mitre[b]:
            return  # never merge two different ATT&CK groups
        parent[b] = a
        comp_mitre[a] |= comp_mitre[b]

    owner = {}  # alias key -> record index that first claimed it (MITRE records first)
    order = [i for i, r in enumerate(records) if r["mitre"]] + [i for i, r in enumerate(records) if not r["mitre"]]
    for i in order:
        r = records[i]
        linked = sorted({owner[k] for k in r["keys"] if k in owner and k not in contested},
                        key=lambda j: (0 if r["pkey"] in records[j]["keys"] else 1, j))
        for j in linked:
            union(j, i)
        for k in r["keys"]:
            if k not in contested and k not in owner:
                owner[k] = i
    # a contested alias goes to the one record whose primary name it is (if exactly one)
    primary_of = collections.defaultdict(set)
    for i, r in enumerate(records):
        primary_of[r["pkey"]].add(i)
    assigned = {}
    for k in set(owner) | contested:
        if k in owner and k not in contested:
            assigned[k] = find(owner[k])
            continue
        # a contested alias: keep it where only one entity uses it, else with the ATT&CK group or
        # the one record whose primary name it is
        claimers = {find(i) for i in range(len(records)) if k in records[i]["keys"] and len(records[i]["keys"]) > 1}
        mitre_roots = {find(i) for i in primary_of.get(k, ()) if records[i]["mitre"]}
        roots = {find(i) for i in primary_of.get(k, ())}
        if len(claimers) == 1:
            assigned[k] = claimers.pop()
        elif len(mitre_roots) == 1:
            assigned[k] = mitre_roots.pop()
        elif len(roots) == 1:
            assigned[k] = roots.pop()

    comps = collections.defaultdict(list)
    for i in range(len(records)):
        comps[find(i)].append(i)

    entities = []
    for root, members in sorted(comps.items()):
        rs = [records[i] for i in members]
        alias_list = [a for r in rs for a in r["aliases"] if assigned.get(fold_key(a)) == root]
        alias_list = list(dict.fromkeys(alias_list))
        if not alias_list:
            continue
        mitre_names = {a for r in rs if r["mitre"] for a in r["aliases"]}
        alias_src = {a: ("mitre-attack" if a in mitre_names else "misp-galaxy") for a in alias_list}
        mrec = next((r for r in rs if r["mitre"]), None)
        gid = mrec["mitre"] if mrec else None
        # display name: the misp threat-actor record that shares most names with the ATT&CK group
        tas = [r for r in rs if r["src"] == "misp-galaxy" and not r.get("ms") and assigned.get(r["pkey"]) == root]
        if mrec and not (mrec["primary"].isupper() and mrec["primary"].isalpha()):
            name = mrec["primary"]
        elif mrec and tas:
            mk = set(mrec["keys"])
            best = max(tas, key=lambda r: (len(mk & set(r["keys"])), len(r["keys"]), r["primary"]))
            name = best["primary"] if mk & set(best["keys"]) else mrec["primary"]
        elif mrec:
            name = mrec["primary"]
        elif tas:
            name = max(tas, key=lambda r: (len(r["keys"]), r["primary"]))["primary"]
        else:
            name = rs[0]["primary"]
        sponsors = collections.Counter(x for r in rs for x in r["sponsors"] if re.fullmatch(r"[A-Z]{2}", x))
        sponsor = None
        if sponsors:
            top = sponsors.most_common()
            if len(top) == 1 or top[0][1] > top[1][1]:
                sponsor = top[0][0]
        if gid:
            canonical = f"ATTACK:{gid}"
        else:
            uu = sorted(r["uuid"] for r in rs if r["pkey"] == fold_key(name)) or sorted(r["uuid"] for r in rs)
            canonical = f"MISP:{uu[0]}"
        entities.append((canonical, name, sponsor, alias_list, alias_src))

    for canonical, name, sponsor, alias_list, alias_src in sorted(entities, key=lambda x: (x[0], x[1])):
        surfaces = {}
        extra = []
        if re.fullmatch(r"APT\d+", name):
            n = name[3:]
            extra = [f"APT {n}", f"APT-{n}", f"Advanced Persistent Threat {n}", f"Advanced Persistent Threat Group {n}"]
        for a in alias_list + extra:
            if a in blocked_surfaces:
                continue
            if re.fullmatch(r"G\d{4}", a) and f"ATTACK:{a}" != canonical:
                continue
            fk = a.casefold()
            single = " " not in a
            words = re.findall(r"[A-Za-z]+", a)
            has_digit = any(c.isdigit() for c in a)
            if has_digit or (DISTINCTIVE_TA.search(a) and not single):
                attrs = {"match": "fold"}
            elif single:
                ordinary = is_word(ws, a) or ws.dict_any(a) or ws.seen(a) or a.title() in given_names
                if (a.islower() and ordinary) or ws.common(a, 25) or a.casefold() in EXTRA_COMMON or a.casefold() in TA_NAME_CLASH:
                    continue  # an everyday word ("Lead", "Play") or another well-known name: too ambiguous
                attrs = {"match": "exact", "context": "cyber"} if ordinary else {"match": "fold"}
            elif all(is_word(ws, w) for w in words) and len(words) <= 2:
                attrs = {"match": "exact", "context": "cyber"}
            else:
                attrs = {"match": "exact"}
            if attrs["match"] == "fold":
                # one row per case-insensitive alias; prefer the name's own spelling, then mixed case
                prev = surfaces.get(fk)
                if prev is None or (prev[0] != name and (a == name or (prev[0].isupper() and not a.isupper()))):
                    surfaces[fk] = (a, attrs)
            else:
                surfaces.setdefault(a, (a, attrs))
                if a.isupper() and len(a) > 4 and not has_digit and all(w.isalpha() for w in a.split()):
                    t = a.title()
                    surfaces.setdefault(t, (t, dict(attrs)))
                    alias_src.setdefault(t, alias_src.get(a, "misp-galaxy"))
        for _, (s, attrs) in sorted(surfaces.items()):
            a = dict(attrs)
            if sponsor:
                a["sponsor"] = sponsor
            if a.get("match") == "exact":
                del a["match"]  # exact is the default
            col.add(Entry(s, "THREAT_ACTOR", canonical, name, a, alias_src.get(s, alias_src.get(name, "misp-galaxy"))))
    return entities


# ---------------------------------------------------------------------------------------------
# People

TITLE_WORDS = {"President", "Prime", "Minister", "King", "Queen", "Premier", "Supreme", "Leader", "Acting", "Chief", "Executive",
               "Sr.", "Gen.", "General", "Chancellor", "Governor", "Emir", "Amir", "Sultan", "Crown", "Prince", "Princess", "Chairman",
               "Chairperson", "Chair", "Vice", "Federal", "Council", "State", "Affairs", "Commission", "Grand", "Duke", "Head",
               "of", "the", "Government", "Captain", "Captains", "Regent", "Regents", "Interim", "Transition", "Transitional",
               "Sovereign", "Co-prince", "Co-Prince", "Dr.", "Col.", "Lt.", "Pope", "Administrator", "Mayor", "Presidential",
               "Commander-in-Chief", "Sheikh", "Deputy", "Caretaker", "Secretary", "Assembly", "People's", "Taoiseach",
               "Lieutenant", "Colonel", "Field", "Marshal", "Gen", "Ratu", "and", "Commander", "Armed", "Forces", "Sudanese",
               "Leadership", "Highness", "His", "Her", "Majesty", "Cardinal", "Archbishop", "Bishop", "Governor-General"}


def parse_leader(s: str):
    """'Prime Minister Keir STARMER (since 5 July 2024)' -> ('Keir Starmer', 'Keir Starmer', 'Keir')."""
    if not s:
        return None
    s = re.split(r";|, represented| \(since| \(|\bnote\b", s)[0]
    s = clean_space(s.replace('"', " ").replace("“", " ").replace("”", " "))
    toks = s.split()
    caps = [i for i, t in enumerate(toks) if re.search(r"[A-Z]{2,}", t) and not re.fullmatch(r"[IVX]+", t) and t not in ("Jr.", "Sr.")]
    if not caps:
        return None
    first_cap = caps[0]
    start = first_cap
    while start > 0 and toks[start - 1] not in TITLE_WORDS and not toks[start - 1].endswith(":"):
        start -= 1
    name_toks = toks[start:]
    while name_toks and name_toks[-1].rstrip(",") in ("Jr.", "Jr"):
        name_toks = name_toks[:-1]
    if not name_toks:
        return None
    given = name_toks[0] if start < first_cap else None

    def fix(t):
        return smart_title(t) if re.search(r"[A-Z]{2,}", t) and not re.fullmatch(r"[IVX]+", t) else t

    full = " ".join(fix(t.rstrip(",")) for t in name_toks)
    short = full
    if start < first_cap and caps[-1] == len(toks) - 1 and len(name_toks) > 2 and not re.match(r"(?i)(al|el)-", toks[first_cap]):
        # Given Middle SURNAME -> Given Surname
        sur = [fix(toks[i]) for i in caps if i >= first_cap]
        short = " ".join([fix(name_toks[0])] + sur)
    return full, short, given


def build_people(data, fb, fmap, ws, col: Collector, given_out: set):
    # IfG ministers
    rows = list(csv.DictReader((data / "uk-ministers-ifg" / "person.csv").open(encoding="utf-8")))
    by_id = collections.defaultdict(list)
    for r in rows:
        by_id[r["id"]].append(r)
    surf_ids = collections.defaultdict(set)
    people = []
    for pid, rs in by_id.items():
        rs.sort(key=lambda r: (r["end_date"] == "", r["end_date"] or r["start_date"]))
        current = rs[-1]
        name = clean_space(current["display_name"] or current["name"])
        surfaces = set()
        for r in rs:
            for k in ("name", "display_name", "normalized_name"):
                if r[k]:
                    surfaces.add(clean_space(r[k]))
            first = clean_space(r["name"]).split()[0] if r["name"] else ""
            if first and first not in ("Lord", "Baroness", "Lady", "Sir", "Dame", "Viscount", "Earl", "Baron", "Dr", "Countess", "The", "Duke", "Marquess"):
                given_out.add(first)
        for s in surfaces:
            surf_ids[s].add(pid)
        people.append((pid, name, sorted(surfaces)))
    for pid, name, surfaces in people:
        for s in surfaces:
            if len(surf_ids[s]) > 1 or " " not in s:
                continue
            col.add(Entry(s, "PERSON", f"IFG:{pid}", name, {"country": "GB"}, "ifg"))
    # heads of state and government (factbook)
    seen = {}
    for d in fb:
        iso = fmap.get(d["fips"])
        if not iso or iso in DEPENDENCIES:
            continue
        for key in ("chief_of_state", "head_of_government"):
            p = parse_leader(d.get(key) or "")
            if not p:
                continue
            full, short, given = p
            if given and re.fullmatch(r"[A-Z][a-z]+", given):
                given_out.add(given)
            if full in seen:
                continue
            seen[full] = iso
            for s in {full, short}:
                if " " in s:
                    col.add(Entry(s, "PERSON", "-", full, {"country": iso}, "factbook"))


ASIAN_SURNAME_FIRST = {"CN", "KP", "KR", "VN", "TW", "HK", "MO"}


def build_sanctioned_cyber(data, name_to_iso, col: Collector, given_out: set):
    path = data / "ofac-sdn" / "sdn.csv"
    rows = [[c.strip() for c in r] for r in csv.reader(path.open(encoding="latin-1")) if len(r) >= 12]
    for r in rows:
        ent, name, typ, prog, remarks = r[0], r[1], r[2], r[3], r[11]
        if typ == "individual" and "," in name:
            given = name.split(",", 1)[1].split()
            if given and re.fullmatch(r"[A-Z][a-z]+", given[0]):
                given_out.add(given[0])
        if "CYBER" not in prog:
            continue
        m = re.search(r"nationality ([A-Z][A-Za-z ,]+?)(?:;|\.|$)", remarks)
        iso = name_to_iso.get(name_norm(m.group(1))) if m else None
        if iso is None and m and m.group(1).startswith("Korea, North"):
            iso = "KP"
        attrs = {"country": iso} if iso else {}
        if typ == "individual":
            sur, _, given = name.partition(",")
            sur, given = title_name(sur.strip()), clean_space(given)
            if not given:
                continue
            full = f"{sur} {given}" if iso in ASIAN_SURNAME_FIRST else f"{given} {sur}"
            surfaces = {full}
            if iso not in ASIAN_SURNAME_FIRST and len(given.split()) > 1:
                surfaces.add(f"{given.split()[0]} {sur}")
            for s in sorted(surfaces):
                col.add(Entry(s, "PERSON", f"OFAC:{ent}", full, dict(attrs), "ofac"))
        elif typ == "-0-":
            disp = title_org(name)
            a = dict(attrs)
            a["kind"] = "company"
            surfaces = {disp}
            core = re.sub(r",?\s+(Limited|Ltd\.?|LLC|Co\., Ltd\.|Company Limited|Inc\.?|JSC|OOO|PJSC|Limited Liability Company)$", "", disp, flags=re.I)
            if core != disp and len(core.split()) >= 2:
                surfaces.add(core)
                if re.search(r"(Limited|Ltd\.?)$", disp, flags=re.I):
                    surfaces |= {f"{core} Ltd", f"{core} Ltd.", f"{core} Limited"}
            for s in sorted(surfaces):
                aa = dict(a)
                aa["form"] = "name"
                col.add(Entry(s, "ORG", f"OFAC:{ent}", disp, aa, "ofac"))


# ---------------------------------------------------------------------------------------------
# UN Security Council consolidated sanctions list: listed entities and individuals

UN_REGIME_COUNTRY = {"Iraq": "IQ", "DPRK": "KP", "Iran": "IR", "Libya": "LY", "DRC": "CD", "CAR": "CF",
                     "Somalia": "SO", "Yemen": "YE", "South Sudan": "SS", "Sudan": "SD", "Mali": "ML"}
UN_MILITANT = re.compile(r"(?i)\b(brigades?|front|army|movement|battalions?|qa[ei]da|taliban|shabaa?b|jihad|mujahid\w*|"
                         r"jama'?at|jemaah|lashkar|jaish|tehrik|harakat|network|emirate|resistance|islamic state|"
                         r"mourabitoun|moulathamoun|boko haram|ansar)\b")
UN_COMPANY = re.compile(r"(?i)\b(company|co\.?|ltd\.?|limited|llc|corporation|corp\.?|bank|trading|establishment|"
                        r"enterprises?|industr(y|ies)|shipping|exchange)\b")
# Words that open a descriptive alias or a form of address, not a name ("Sheik Omar", "Abu Ahmad").
UN_HONORIFICS = {"sheik", "sheikh", "shaykh", "mullah", "mulla", "maulavi", "maulvi", "haji", "hajji", "qari", "mawlawi",
                 "doctor", "dr", "dr.", "amir", "emir", "commander", "general", "colonel", "mr", "mr."}


UN_FAITH_WORDS = {"god", "islam", "islamic", "jihad", "allah", "muslim", "muslims", "faith", "holy", "martyrs", "devotees"}


def un_alias_names(text: str) -> list[str]:
    """The Latin-script names packed into one UN alias field: "X (original script); Y; Z"
    gives X, Y and Z; bracketed notes and names in other scripts are dropped."""
    out = []
    for chunk in re.split(r"[;()]", clean_space(text or "")):
        chunk = chunk.split(" - ")[0].strip(" ,.\"'")
        if not chunk or re.search(r"original script|formerly|known as", chunk, flags=re.I):
            continue
        if any(unicodedata.category(c).startswith("L") and not ("LATIN" in unicodedata.name(c, "")) for c in chunk):
            continue
        out.append(chunk)
    return out


def un_org_surfaces(name: str, ws: WordStats, given: set) -> list[str]:
    """Surfaces of a UN-listed entity's name: title-cased when written in capitals, without a
    bracketed acronym; names that are ordinary words or only generic organisation words, and
    branch names with a colon, are dropped. Acronyms are not taken (the list's short ones,
    ADF or PAD, mean other things in news)."""
    name = re.sub(r"(?i)^the\s+", "", strip_parens(name).split(" / ")[0].strip(" ,."))
    if not name or ":" in name:
        return []
    disp = capital_first(un_title(name) if name.isupper() else name)
    if not (disp[0].isupper() or disp[0].isdigit()) or disp.split()[0].lower() in UN_HONORIFICS or "/" in disp:
        return []
    words = re.findall(r"[\w'’.-]+", disp)
    # One word is too little to stand for a listed body ("Makin", "Veiled", "Al-Hadith"), unless
    # it joins several words with hyphens ("Lashkar-e-Toiba").
    parts = [p for p in re.split(r"[-\s]+", disp) if p.lower() not in ("al", "el")]
    if len(words) < 2 and len(parts) < 2:
        return []
    if not distinctive(disp) or re.match(r"[A-Z]\. ?[A-Z]\.", disp):
        return []
    if all(is_common(ws, w) or w.lower() in UN_FAITH_WORDS for w in words):
        return []  # "Soldiers of God", "New Jihad": descriptions, not names
    return apostrophe_variants(disp)


def un_person_surfaces(name: str, ws: WordStats, given: set) -> list[str]:
    """Surfaces of a UN-listed individual's name: at least two words, not opened by a form of
    address, and not made of given names and ordinary words alone (two given names, "Mohammad
    Ali", name too many people to stand for one listed person)."""
    name = strip_parens(name).strip(" ,.")
    if not name or "," in name:
        return []
    disp = capital_first(title_name(name) if name.isupper() else name)
    words = disp.split()
    if len(words) < 2 or not disp[0].isalnum() or words[0].lower() in UN_HONORIFICS:
        return []
    if words[0] in ("Abu", "Abou", "Umm", "Ibn", "Bin") and len(words) == 2:
        return []
    if not any(un_distinct_word(w, ws, given) for w in words):
        return []
    return apostrophe_variants(disp)


def un_title(name: str) -> str:
    """Title case for a UN list name in capitals, with the particles inside hyphenated names and
    the possessive in lower case ("LASHKAR-E-TAYYIBA" -> "Lashkar-e-Tayyiba", "Lord's")."""
    t = title_org(name)
    t = re.sub(r"(?<=-)(E|I|Ul|Ud|Ur|Us|Al|El|Fi|Wa)(?=-)", lambda m: m.group(1).lower(), t)
    return re.sub(r"(?<=[’'])S\b", "s", t)


def capital_first(name: str) -> str:
    """A name as it opens a sentence or a list entry: "al-Shabaab" -> "Al-Shabaab"."""
    return name[:1].upper() + name[1:] if re.match(r"(al|el|bin|ibn)-", name) else name


def un_distinct_word(word: str, ws: WordStats, given: set) -> bool:
    """A word of a person's name that is neither a particle, a given name nor an ordinary word
    ("al-Zawahiri" counts by what follows its article)."""
    core = re.sub(r"(?i)^(al|el)-", "", word)
    return core.lower() not in PARTICLES and core not in given and not is_common(ws, core)


def unique_surfaces(names: list[str], surfaces_of) -> list[str]:
    """The surfaces of every name in turn, each once, in order of first appearance."""
    out = []
    for n in names:
        for s in surfaces_of(n):
            if s not in out:
                out.append(s)
    return out


def build_sanctioned_un(data, ws, name_to_iso, all_cols: dict, col: Collector, given: set):
    """Entities and individuals on the UN Security Council consolidated list, canonical id
    `UN:<reference number>` (QDe.004 ...). A listed entity that shares a surface with a hand
    entry (al-Qaeda, al-Shabaab ...) joins it: the hand entry takes the UN id and keeps its name."""
    path = data / "un-sanctions" / "un_consolidated_2018-10-29.xml"
    root = ET.parse(path).getroot()
    manual_orgs = {}
    for c in all_cols.values():
        for e in c.entries:
            if e.type == "ORG" and e.source == "manual":
                manual_orgs.setdefault(e.surface.casefold(), e)
    listings = []  # (surfaces, entry maker) per listing, so that shared surfaces can be dropped
    for ent in root.iter("ENTITY"):
        ref = clean_space(ent.findtext("REFERENCE_NUMBER") or "")
        regime = clean_space(ent.findtext("UN_LIST_TYPE") or "")
        primary = clean_space(ent.findtext("FIRST_NAME") or "")
        if not ref or not primary:
            continue
        names = [primary] + [n for a in ent.iter("ENTITY_ALIAS") for n in un_alias_names(a.findtext("ALIAS_NAME"))]
        surfaces = unique_surfaces(names, lambda n: un_org_surfaces(n, ws, given))
        if not surfaces:
            continue
        display = surfaces[0]
        attrs = {}
        iso = UN_REGIME_COUNTRY.get(regime)
        if iso is None:
            countries = {name_to_iso.get(name_norm(clean_space(a.findtext("COUNTRY") or ""))) for a in ent.iter("ENTITY_ADDRESS")}
            countries.discard(None)
            iso = countries.pop() if len(countries) == 1 else None
        if iso:
            attrs["country"] = iso
        if UN_MILITANT.search(" ".join(names)) and not UN_COMPANY.search(display):
            attrs["kind"] = "militant"
        elif UN_COMPANY.search(display):
            attrs["kind"] = "company"
        canonical = f"UN:{ref}"
        joined = next((manual_orgs[s.casefold()] for s in surfaces if s.casefold() in manual_orgs), None)
        if joined is not None:
            old = joined.canonical
            if old != "-" and not old.startswith("UN:"):
                continue  # a body with an id of its own: leave it alone
            display, attrs = joined.name, {k: v for k, v in joined.attrs.items() if k != "form"}
            for c in all_cols.values():
                for e in c.entries:
                    if e.type == "ORG" and e.name == joined.name and e.canonical == "-":
                        e.canonical = canonical
            canonical = joined.canonical
        attrs["form"] = "name"
        listings.append((surfaces, Entry("", "ORG", canonical, display, attrs, "un")))

    for ind in root.iter("INDIVIDUAL"):
        ref = clean_space(ind.findtext("REFERENCE_NUMBER") or "")
        parts = [clean_space(ind.findtext(t) or "") for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        primary = " ".join(p for p in parts if p)
        if not ref or not primary:
            continue
        names = [primary] + [n for a in ind.iter("INDIVIDUAL_ALIAS") if (a.findtext("QUALITY") or "") == "Good"
                             for n in un_alias_names(a.findtext("ALIAS_NAME"))]
        surfaces = unique_surfaces(names, lambda n: un_person_surfaces(n, ws, given))
        if not surfaces:
            continue
        full = title_name(primary) if primary.isupper() else primary
        nats = {name_to_iso.get(name_norm(clean_space(v.text or ""))) for n in ind.iter("NATIONALITY") for v in n.iter("VALUE")}
        nats.discard(None)
        attrs = {"country": nats.pop()} if len(nats) == 1 else {}
        listings.append((surfaces, Entry("", "PERSON", f"UN:{ref}", full, attrs, "un")))

    # A surface that two listings share ("Ansar al-Shari'a") would name the wrong one half the time.
    uses = collections.Counter((s, proto.type) for surfaces, proto in listings for s in set(surfaces))
    for surfaces, proto in listings:
        for s in surfaces:
            if uses[(s, proto.type)] == 1:
                col.add(Entry(s, proto.type, proto.canonical, proto.name, dict(proto.attrs), proto.source))


def un_given_names(data, given_out: set):
    path = data / "un-sanctions" / "un_consolidated_2018-10-29.xml"
    if not path.exists():
        return
    root = ET.parse(path).getroot()
    for ind in root.iter("INDIVIDUAL"):
        fn = ind.findtext("FIRST_NAME") or ""
        fn = clean_space(fn).split(" ")[0] if fn.strip() else ""
        if re.fullmatch(r"[A-Za-z]+", fn):
            given_out.add(fn[:1].upper() + fn[1:].lower())


# PETRARCH-2 actor entries of office holders: a name line followed by role codes with dates,
# "KEN_CLARKE_  # CountryInfo.txt" / "\t[GBRGOV 100512-140714]".
PETRARCH_PERSON_CODE = re.compile(r"^\s+\[[A-Z]{3}[A-Z]*\s+[<>]?\d{6}")


def petrarch_given_names(data, given_out: set, min_people: int = 2):
    """First words of the office holders in PETRARCH-2's Phoenix.Countries.actors.txt (MIT):
    the leaders and ministers of every country, with term dates. A word counts when it opens
    the names of at least `min_people` such people (one odd entry makes no given name); the
    caller's filters drop titles, places and ordinary words. Asian names there are written
    family name first, so a few family names come in too; they open people's names all the
    same."""
    path = data / "petrarch2-dictionaries" / "Phoenix.Countries.actors.txt"
    if not path.exists():
        return
    counts = collections.Counter()
    pending = None  # first word of the last name line, until its code lines say "a person"
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line[0] in " \t":
            if pending and PETRARCH_PERSON_CODE.match(line):
                counts[pending] += 1
                pending = None
            continue
        pending = None
        m = re.match(r"^([A-Z][A-Z'-]*(?:_[A-Z][A-Z'-]*)+)_?\s*(?:#.*)?$", line.rstrip())
        if m and 2 <= len(m.group(1).split("_")) <= 4:
            first = m.group(1).split("_")[0]
            if re.fullmatch(r"[A-Z]+", first):
                pending = first.title()
    given_out.update(w for w, n in counts.items() if n >= min_people)


# ---------------------------------------------------------------------------------------------
# Titles

AGENT_ROLE = {"GOV": "government", "MIL": "military", "JUD": "judicial", "COP": "police", "SPY": "intelligence",
              "LEG": "legislature", "ELI": "government", "OPP": "opposition", "MED": "media", "BUS": "business",
              "REL": "religious", "EDU": "education", "HLH": "health", "LAB": "labour", "CVL": "civilian"}
PERSON_HEADS = {"minister", "secretary", "ambassador", "envoy", "president", "chancellor", "premier", "governor", "mayor",
                "spokesman", "spokeswoman", "spokesperson", "diplomat", "consul", "judge", "prosecutor", "attorney",
                "commander", "director", "official", "adviser", "advisor", "senator", "lawmaker", "legislator", "congressman",
                "congresswoman", "magistrate", "sheriff", "detective", "inspector", "admiral", "colonel", "captain",
                "lieutenant", "sergeant", "commissioner", "chairman", "chairwoman", "deputy", "emissary", "legate", "negotiator",
                "representative", "parliamentarian", "general", "marshal", "officer", "agent", "spy", "investigator", "constable",
                "superintendent", "prime", "monarch", "emperor", "empress", "king", "queen", "dictator", "despot", "autocrat",
                "bureaucrat", "councillor", "councilor", "delegate", "aide", "intelligence officer"}
TITLE_SINGLE_BLOCK = {"general", "major", "private", "chief", "justice", "officer", "agent", "spy", "deputy", "representative",
                      "delegate", "king", "queen", "prime", "head", "member", "captain", "marshal", "monarch", "commander"}


def build_titles(data, col: Collector):
    # IfG posts: multi-word UK government titles
    for r in csv.DictReader((data / "uk-ministers-ifg" / "post.csv").open(encoding="utf-8")):
        n = clean_space(r["name"])
        if not n or "(" in n or len(n) > MAX_SURFACE or " " not in n:
            continue
        col.add(Entry(n, "TITLE", "-", n, {"role": "government", "match": "fold"}, "ifg"))
    # PETRARCH-2 agents: role nouns (lowercase in news)
    text = (data / "petrarch2-dictionaries" / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace")
    for line in text.splitlines():
        line = line.split("#")[0].rstrip()
        m = re.match(r"^([A-Z][A-Z_!'\- ]*?)\s*\[~([A-Z]+)\]", line)
        if not m or "{" in line:
            continue
        phrase, code = m.group(1).strip(), m.group(2)
        role = AGENT_ROLE.get(code[:3])
        if role is None:
            continue
        variants = [phrase]
        if "!MINIST!" in phrase:
            variants = [phrase.replace("!MINIST!", "MINISTER")]
        if "!PERSON!" in phrase:
            variants = [v.replace("!PERSON!", x) for v in variants for x in ("MAN", "WOMAN", "PERSON")]
        for v in variants:
            if "!" in v or " " in v.strip():
                continue
            words = [w for w in v.strip("_").split("_") if w]
            if not words or words[-1].lower() not in PERSON_HEADS and not (words[-1].endswith("MAN") or words[-1].endswith("WOMAN")):
                continue
            s = " ".join(w.lower() for w in words)
            if len(words) == 1 and s in TITLE_SINGLE_BLOCK:
                continue
            if not re.fullmatch(r"[a-z][a-z'\- ]+", s):
                continue
            col.add(Entry(s, "TITLE", "-", s, {"role": role, "lower": "1", "match": "fold"}, "petrarch2"))


# ---------------------------------------------------------------------------------------------
# Places (manual only for now) and writing

HEADER_SOURCES = {
    "factbook": "CIA World Factbook via factbook/factbook.json (public domain / CC0)",
    "geonames": "GeoNames country info via MISP galaxy country.json (CC BY 4.0, geonames.org)",
    "misp-galaxy": "MISP galaxy clusters (CC0 1.0 / BSD-2-Clause)",
    "mitre-attack": "MITRE ATT&CK groups via MISP galaxy mitre-intrusion-set.json; (c) The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation.",
    "govuk": "GOV.UK government organisation register, Crown copyright, Open Government Licence v3.0",
    "ifg": "Institute for Government Ministers Database (CC BY 4.0)",
    "cisa": "cisagov/dotgov-data agencies-and-subs.csv (CC0 1.0)",
    "petrarch2": "PETRARCH-2 Phoenix.agents.txt, Copyright (c) 2014 Open Event Data Alliance (MIT)",
    "ofac": "US Treasury OFAC SDN list (public domain)",
    "un": "UN Security Council Consolidated Sanctions List, 2018-10-29 (UN public document)",
    "manual": "hand-curated lists in scripts/gazetteer_manual/ (written for this project)",
}
FILE_NOTES = {
    "intelligence_agencies": "Names derived from Wikipedia's 'List of intelligence agencies' via MISP galaxy intelligence-agencies.json; "
                             "Wikipedia text is CC BY-SA 4.0, so this file is distributed under CC BY-SA 4.0 (share-alike).",
}


def write_tsv(path: Path, name: str, entries: list[Entry]):
    srcs = sorted({e.source for e in entries})
    lines = [f"# gazetteers/{name}.tsv: generated by scripts/gen_gazetteers.py; do not edit by hand",
             "# (edit scripts/gazetteer_manual/*.tsv or the generator, then re-run it).",
             "# Columns (TAB-separated): surface, type, canonical, name, attributes, source. See gazetteers/README.md.",
             "# Sources:"]
    for s in srcs:
        lines.append(f"#   {s}: {HEADER_SOURCES.get(s, s)}")
    if name in FILE_NOTES:
        lines.append(f"# Licence: {FILE_NOTES[name]}")
    lines.append(f"# Rows: {len(entries)}")
    ents = sorted(entries, key=lambda e: (e.type, e.name.casefold(), e.name, e.canonical, e.surface.casefold(), e.surface))
    lines += [e.line() for e in ents]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def validate(files: dict[str, list[Entry]]) -> list[str]:
    errors = []
    seen = {}
    names = {}
    for fname, entries in files.items():
        for e in entries:
            where = f"{fname}.tsv: {e.surface!r} {e.type}"
            cols = e.line().split("\t")
            if len(cols) != 6:
                errors.append(f"{where}: {len(cols)} columns")
            if e.type not in TYPES:
                errors.append(f"{where}: unknown type")
            if not e.surface or len(e.surface) > MAX_SURFACE or e.surface != e.surface.strip():
                errors.append(f"{where}: bad surface length/space")
            if any(c in e.surface + e.name + e.canonical + e.source for c in "\t\n\r"):
                errors.append(f"{where}: control character")
            if re.match(r"(?i)the\s", e.surface):
                errors.append(f"{where}: leading 'the'")
            if e.surface and not e.surface[0].isalnum():
                errors.append(f"{where}: surface does not start with a letter or digit")
            if not e.name or not e.canonical or not e.source:
                errors.append(f"{where}: empty column")
            for k, v in e.attrs.items():
                if not k or not v or any(c in k + v for c in ";=\t"):
                    errors.append(f"{where}: bad attribute {k}={v}")
            if e.attrs.get("match") not in (None, "exact", "fold"):
                errors.append(f"{where}: bad match value")
            cased = [c for c in e.surface if c.lower() != c.upper()]
            if e.type != "TITLE" and cased and all(c.islower() for c in cased) and not (
                    e.type == "THREAT_ACTOR" and e.attrs.get("match") == "fold"):
                errors.append(f"{where}: all-lowercase surface for an entity")
            if e.type == "TITLE" and e.surface == e.surface.lower() and e.attrs.get("lower") != "1":
                errors.append(f"{where}: lowercase TITLE without lower=1")
            if not re.fullmatch(r"-|ISO3166:[A-Z]{2}|ATTACK:G\d{4}|[A-Z]+:[\w\-.]+", e.canonical):
                errors.append(f"{where}: bad canonical {e.canonical}")
            keys = {(e.surface, e.type)}
            if e.attrs.get("match") == "fold":
                keys.add((e.surface.casefold(), e.type, "fold"))
            for key in keys:
                if key in seen:
                    errors.append(f"{where}: duplicate of {seen[key]}")
                seen[key] = where
            if e.canonical != "-":
                prev = names.setdefault((e.type, e.canonical), e.name)
                if prev != e.name:
                    errors.append(f"{where}: canonical {e.canonical} has names {prev!r} and {e.name!r}")
    return errors


def resolve(collectors: list[Collector]):
    """Apply the priority order: first file, manual first, keeps a (surface, type)."""
    taken = {}
    fold_taken = {}
    out = {}
    dropped = collections.Counter()
    gpe = {e.surface for col in collectors for e in col.entries if e.type == "GPE"}
    for col in collectors:
        kept = []
        for e in col.entries:
            if e.type != "GPE" and e.source != "manual" and e.surface in gpe:
                dropped[col.name] += 1  # a generated name that is also a place name ("USA" for US Army)
                continue
            if e.attrs.get("match") == "fold":
                k = (e.surface.casefold(), e.type)
                if k in fold_taken or any((v, e.type) in taken for v in {e.surface, e.surface.casefold(), e.surface.title(), e.surface.upper()}):
                    dropped[col.name] += 1
                    continue
            k = (e.surface, e.type)
            if k in taken or (e.surface.casefold(), e.type) in fold_taken:
                dropped[col.name] += 1
                continue
            taken[k] = col.name
            if e.attrs.get("match") == "fold":
                fold_taken[(e.surface.casefold(), e.type)] = col.name
            kept.append(e)
        out[col.name] = kept
    return out, dropped


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Example: python3 scripts/gen_gazetteers.py --data ../shared/data --out gazetteers")
    here = Path(__file__).resolve().parent
    ap.add_argument("--data", type=Path, default=here.parent.parent / "shared" / "data", help="shared/data folder (default: ../shared/data beside the repo)")
    ap.add_argument("--out", type=Path, default=here.parent / "gazetteers", help="output folder (default: gazetteers/ in the repo)")
    ap.add_argument("--dict", type=Path, default=None,
                    help="full English word list (e.g. /usr/share/dict/words from Debian wamerican); when given, "
                         "scripts/gazetteer_manual/dictionary_words.txt is rewritten with the words the run looked up")
    ap.add_argument("--manual", type=Path, default=here / "gazetteer_manual", help="hand-curated TSV folder (default: scripts/gazetteer_manual)")
    args = ap.parse_args(argv)
    data, out = args.data, args.out
    if not (data / "factbook").is_dir():
        print(f"gen_gazetteers: {data} does not look like shared/data", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)

    manual = {}
    for name in OUTPUTS:
        p = args.manual / f"{name}.tsv"
        manual[name] = read_tsv(p) if p.exists() else []
    all_manual = [e for lst in manual.values() for e in lst]

    ws = WordStats(data)
    ws.load_dictionary(args.manual / "dictionary_words.txt", args.dict)
    geo = load_geonames(data)
    fb = load_factbook(data)
    fmap = fips_to_iso(fb, geo)
    name_to_iso = {name_norm(g["name"]): iso for iso, g in geo.items()}
    for d in fb:
        iso = fmap.get(d["fips"])
        if iso:
            for n in clean_country_name(d.get("name_short")) + clean_country_name(d.get("name_long")):
                name_to_iso.setdefault(name_norm(n), iso)
    name_to_iso.update({"burma": "MM", "russia": "RU", "china": "CN", "iran": "IR", "northkorea": "KP", "southkorea": "KR"})
    ifg_given = set()
    for r in csv.DictReader((data / "uk-ministers-ifg" / "person.csv").open(encoding="utf-8")):
        if r["name"]:
            ifg_given.add(r["name"].split()[0])

    cols = {n: Collector(n) for n in OUTPUTS}
    for n in OUTPUTS:
        for e in manual[n]:
            cols[n].add(e)

    build_countries(data, fb, geo, ws, manual["countries"], ifg_given, cols["countries"])
    ob = OrgBuilder(all_manual)
    build_uk_orgs(data, ws, ob)
    build_us_orgs(data, ws, ob)
    build_factbook_orgs(fb, fmap, ws, ob)
    ob.emit(cols["gov_bodies"])
    manual_org_surfaces = {e.surface for e in all_manual if e.type == "ORG"}
    build_intel_agencies(data, ws, manual_org_surfaces, cols["intelligence_agencies"])
    blocked = {e.surface for e in all_manual if e.type in ("GPE", "ORG")} | {e.surface for e in cols["countries"].entries}
    build_threat_actors(data, ws, blocked, name_to_iso, cols["threat_actors"], ifg_given)
    given = set()
    build_sanctioned_cyber(data, name_to_iso, cols["sanctioned_cyber"], given)
    build_people(data, fb, fmap, ws, cols["people"], given)
    un_given_names(data, given)
    petrarch_given_names(data, given)
    build_sanctioned_un(data, ws, name_to_iso, cols, cols["sanctioned_un"], given)
    build_titles(data, cols["titles"])

    files, dropped = resolve([cols[n] for n in OUTPUTS])
    errors = validate(files)
    if errors:
        for e in errors[:200]:
            print("gen_gazetteers: " + e, file=sys.stderr)
        print(f"gen_gazetteers: {len(errors)} validation error(s); nothing written", file=sys.stderr)
        return 1

    for n in OUTPUTS:
        write_tsv(out / f"{n}.tsv", n, files[n])
    ws.save_dictionary()

    # given names for typing unknown capitalised names as PERSON
    gpe_words = {e.surface for lst in files.values() for e in lst if e.type in ("GPE", "TITLE", "THREAT_ACTOR")}
    title_words = {w for e in files["titles"] for w in e.surface.split()}
    excluded = {"Al", "El", "Bin", "Ibn", "De", "Van", "Von", "Le", "La", "Da", "Di", "Dos", "Du", "Abu", "Mr", "Mrs", "Ms", "Dr"}
    names = sorted(g for g in given if re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?", g) and len(g) >= 2
                   and g.casefold() not in EXTRA_COMMON and not ws.common_name(g) and g not in gpe_words and g not in title_words and g not in excluded)
    (out / "given_names.txt").write_text(
        "# gazetteers/given_names.txt: generated by scripts/gen_gazetteers.py; one given name per line.\n"
        "# Sources: IfG Ministers Database (CC BY 4.0), CIA World Factbook leaders (public domain),\n"
        "# OFAC SDN individuals (public domain), UN Security Council consolidated list (UN public document),\n"
        "# PETRARCH-2 Phoenix.Countries.actors.txt office holders (MIT, Copyright (c) 2014 Open Event Data\n"
        "# Alliance; notice in gazetteers/LICENSES.md).\n"
        "# Names that are ordinary English words, months, countries, demonyms or titles are left out.\n"
        + "\n".join(names) + "\n", encoding="utf-8")

    total = 0
    print(f"{'file':<28}{'rows':>7}{'dropped dup':>13}")
    for n in OUTPUTS:
        total += len(files[n])
        by_type = collections.Counter(e.type for e in files[n])
        print(f"{n + '.tsv':<28}{len(files[n]):>7}{dropped[n]:>13}   " + ", ".join(f"{t} {c}" for t, c in sorted(by_type.items())))
    print(f"{'given_names.txt':<28}{len(names):>7}")
    print(f"{'total rows':<28}{total:>7}")
    if not ws.used:
        print("gen_gazetteers: warning: news corpora not found; common-word filters used the built-in list only", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
