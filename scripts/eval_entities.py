#!/usr/bin/env python3
"""Score extract's entity mentions against CoNLL-2003 dev (eng.testa) and re3d, exact span match.

For each data set the script builds the documents' texts, runs `extract --jsonl` once over
all of them, and scores every entity mention as a (start, end, type) prediction against the
gold entity spans, per type PER / ORG / LOC and micro-averaged over the three.

Type mapping
  extract : PERSON -> PER, ORG -> ORG, THREAT_ACTOR -> ORG, GPE -> LOC
  CoNLL   : PER, ORG, LOC scored; MISC is neutral
  re3d    : Person -> PER, Organisation -> ORG, Location -> LOC; Nationality is neutral;
            other re3d types (Temporal, Weapon, ...) are not scored as gold
  spaCy   : PERSON -> PER, ORG -> ORG, GPE / LOC / FAC -> LOC, NORP -> LOC
            (--peer spacy; en_core_web_sm from the peers venv)

Rules (the same for extract and spaCy, so that the comparison is fair)
  * Only predicted spans whose text starts with an uppercase letter or a digit count, so
    that descriptions such as "the company" or "the UK's" are left out for extract.
  * A country adjective ("Chinese") is an extract GPE mention and so a predicted LOC; to be
    symmetric, spaCy's NORP entities are predicted LOC too. A prediction (of any type) whose
    span equals a gold neutral span (CoNLL MISC, re3d Nationality) counts neither as a true
    nor as a false positive; that is where most such adjectives land.
  * Exact match: same document, start, end and mapped type. Duplicate predictions of the
    same (span, type) count once.
  * re3d sometimes gives one span two types (for example "Syria" as Location and as
    Organisation). A prediction of any of them is a true positive; a span found under none
    of them is one false negative, under its most confident gold type.
  * re3d also annotates pronouns and descriptions ("we", "the city", "rebels"), which a
    named-entity tagger is not meant to find, so it is scored twice: "re3d" against every
    gold span, and "re3d-names" against the gold spans that start with an uppercase letter
    or a digit and are not pronouns (the same test the predictions pass).

CoNLL documents are rebuilt by joining tokens with one space and sentences with "\\n"
(documents split at -DOCSTART-); gold offsets are code points into that text. re3d gold
offsets are code points into each document's `text`.

Errors (--show-errors)
  Every false positive and false negative of extract, one tab-separated line each:
    data set, class, gold type, predicted type, document, start, end, span text, context
  with line breaks shown as "|". The class says why:
    wrong-type  the span is a gold span, but extract gave it another type
    boundary    extract's span overlaps a gold span but does not equal it (both sides listed:
                FP line with the predicted span, FN line with the gold span)
    spurious    extract's span overlaps no gold or neutral span
    missed      no prediction of extract overlaps the gold span
  A count per data set, class and type comes first. Use --errors-for to limit the lines to
  one data set (the counts stay whole), e.g. --errors-for re3d-names; grep the rest.

Untyped scoring (--untyped)
  Spans only: a prediction equal to a gold span is a true positive whatever its type. The
  issue quotes spaCy at about 0.56 F1 on re3d; scored typed, spaCy gets 0.34 (all gold) and
  0.47 (names only), while untyped on names only it gets 0.60 (0.57 without its NORP
  entities), so the issue's figure was probably taken about this way.

Contract bound (--contract-bound)
  How much of each data set's gold an output that follows output-v1 can match exactly, and so
  the best F1 it can reach at its measured precision. The contract gives a person's name as
  the mention and the title as an attribute ("Philip Hammond", title Foreign Secretary), and
  names without a leading article ("UK"), while re3d marks "Foreign Secretary Philip Hammond",
  "The UK" and role-only spans ("The Foreign Secretary"). One set of mentions cannot match two
  overlapping gold spans either ("The European Union" and "European Union"). Gold spans led by
  "the" and person spans holding a title or role (from gazetteers/titles.tsv; honorifics such
  as "Mr" are allowed, the contract keeps "Mr. Dowden") are set aside, then the most gold
  spans that do not overlap are counted. The bound is that count over all gold spans.

Examples
  python3 scripts/eval_entities.py
  python3 scripts/eval_entities.py --only re3d --contract-bound
  python3 scripts/eval_entities.py --peer spacy
  python3 scripts/eval_entities.py --only re3d --untyped --peer spacy
  python3 scripts/eval_entities.py --only re3d --json
  python3 scripts/eval_entities.py --only conll --show-errors | grep -P '\\tmissed\\tORG'
"""
import argparse
import collections
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evalutil  # noqa: E402

TYPES = ("PER", "ORG", "LOC")
OUR_MAP = {"PERSON": "PER", "ORG": "ORG", "THREAT_ACTOR": "ORG", "GPE": "LOC"}
SPACY_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "LOC"}
RE3D_MAP = {"Person": "PER", "Organisation": "ORG", "Location": "LOC"}
RE3D_NEUTRAL = {"Nationality"}
TITLES_TSV = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "gazetteers", "titles.tsv")


class Dataset:
    """records: [{id, text}]; gold: {(doc, start, end): [types, most confident first]};
    neutral: {(doc, start, end)}."""

    def __init__(self, name, records, gold, neutral):
        self.name, self.records, self.gold, self.neutral = name, records, gold, neutral


def load_conll(path):
    docs = []  # list of list of sentences; sentence = list of (token, tag)
    sent = []
    cur = None

    def flush_sent():
        nonlocal sent, cur
        if sent:
            if cur is None:  # text before the first -DOCSTART-
                cur = []
                docs.append(cur)
            cur.append(sent)
        sent = []

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                flush_sent()
                cur = []
                docs.append(cur)
                continue
            if not line.strip():
                flush_sent()
                continue
            parts = line.split()
            sent.append((parts[0], parts[-1]))
    flush_sent()

    records, gold, neutral = [], {}, set()
    n = 0
    for doc in docs:
        if not doc:
            continue
        n += 1
        did = "conll-dev-%03d" % n
        pieces = []
        pos = 0
        for si, s in enumerate(doc):
            if si:
                pieces.append("\n")
                pos += 1
            open_type, open_start, last_end = None, None, None

            def close():
                if open_type is not None:
                    key = (did, open_start, last_end)
                    if open_type == "MISC":
                        neutral.add(key)
                    else:
                        gold[key] = [open_type]

            for ti, (tok, tag) in enumerate(s):
                if ti:
                    pieces.append(" ")
                    pos += 1
                start, end = pos, pos + len(tok)
                pieces.append(tok)
                pos = end
                if tag == "O":
                    close()
                    open_type = None
                else:
                    bio, typ = tag.split("-", 1)
                    if bio == "B" or typ != open_type:  # I- after O or another type opens (IOB1)
                        close()
                        open_type, open_start = typ, start
                    last_end = end
            close()
        records.append({"id": did, "text": "".join(pieces)})
    return Dataset("conll-dev", records, gold, neutral)


def _read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def load_re3d(root):
    records, gold, neutral = [], {}, set()
    conf = collections.defaultdict(dict)
    for sub in sorted(glob.glob(os.path.join(root, "*", "documents.json"))):
        folder = os.path.dirname(sub)
        for d in _read_jsonl(sub):
            records.append({"id": d["_id"], "text": d["text"]})
        for e in _read_jsonl(os.path.join(folder, "entities.json")):
            key = (e["documentId"], e["begin"], e["end"])
            if e["type"] in RE3D_NEUTRAL:
                neutral.add(key)
            elif e["type"] in RE3D_MAP:
                t = RE3D_MAP[e["type"]]
                conf[key][t] = max(conf[key].get(t, -1.0), float(e.get("confidence") or 0))
    for key, tc in conf.items():
        gold[key] = sorted(tc, key=lambda t: (-tc[t], TYPES.index(t)))
    return Dataset("re3d", records, gold, neutral)


PRONOUNS = {"i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her",
            "it", "its", "they", "them", "their", "who", "whom", "this", "that", "these", "those"}


def names_only(ds):
    """The same data set with gold restricted to names: spans whose text starts with an
    uppercase letter or digit and is not a pronoun (re3d also marks "we", "the city", ...)."""
    texts = {r["id"]: r["text"] for r in ds.records}

    def is_name(key):
        s = texts[key[0]][key[1]:key[2]]
        return starts_ok(s) and s.lower() not in PRONOUNS

    gold = {k: v for k, v in ds.gold.items() if is_name(k)}
    return Dataset(ds.name + "-names", ds.records, gold, ds.neutral)


def starts_ok(s):
    return bool(s) and (s[0].isupper() or s[0].isdigit())


def extract_predictions(ds, docs):
    """Set of (doc, start, end, type) from every entity mention; also offset problems."""
    preds, bad_offsets, errors = set(), 0, 0
    for rec, doc in zip(ds.records, docs):
        if "error" in doc:
            errors += 1
            continue
        text = rec["text"]
        for ent in doc.get("entities", []):
            t = OUR_MAP.get(ent.get("type"))
            for m in ent.get("mentions", []):
                if text[m["start"]:m["end"]] != m["text"]:
                    bad_offsets += 1
                if t and starts_ok(m["text"]):
                    preds.add((rec["id"], m["start"], m["end"], t))
    return preds, {"error_documents": errors, "mentions_with_wrong_offsets": bad_offsets}


def spacy_predictions(ds, ents_per_doc):
    preds = set()
    for rec, ents in zip(ds.records, ents_per_doc):
        for s, e, label in ents:
            t = SPACY_MAP.get(label)
            if t and starts_ok(rec["text"][s:e]):
                preds.add((rec["id"], s, e, t))
    return preds


def score(ds, preds, untyped=False):
    """Per-type and micro P/R/F1 of `preds` on `ds`. With `untyped`, a predicted span equal to
    a gold span is a true positive whatever its type (counted under the gold type)."""
    tp, fp, fn, neut = (collections.Counter() for _ in range(4))
    covered = set()
    for (d, s, e, t) in preds:
        key = (d, s, e)
        if t in ds.gold.get(key, ()):
            tp[t] += 1
            covered.add(key)
        elif untyped and key in ds.gold:
            if key not in covered:
                tp[ds.gold[key][0]] += 1
                covered.add(key)
        elif key in ds.neutral:
            neut[t] += 1
        else:
            fp[t] += 1
    for key, types in ds.gold.items():
        if key not in covered:
            fn[types[0]] += 1
    res = {t: evalutil.prf(tp[t], fp[t], fn[t]) for t in TYPES}
    res["micro"] = evalutil.prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    res["neutral_predictions"] = sum(neut.values())
    return res


def error_lines(ds, preds):
    """The false positives and negatives of `preds` on `ds`, classified (see --help):
    a list of (class, gold type, predicted type, doc, start, end, is_fp)."""
    by_doc = collections.defaultdict(list)  # doc -> [(start, end, kind, type)]
    for (d, s, e), types in ds.gold.items():
        by_doc[d].append((s, e, "gold", types[0]))
    for (d, s, e) in ds.neutral:
        by_doc[d].append((s, e, "neutral", "MISC"))
    pred_by_doc = collections.defaultdict(list)
    for (d, s, e, t) in preds:
        pred_by_doc[d].append((s, e, t))

    def overlapping(items, s, e):
        return [x for x in items if x[0] < e and s < x[1] and (x[0], x[1]) != (s, e)]

    out = []
    matched = set()
    for (d, s, e, t) in sorted(preds):
        key = (d, s, e)
        if t in ds.gold.get(key, ()):
            matched.add(key)
            continue
        if key in ds.neutral:
            continue
        if key in ds.gold:
            out.append(("wrong-type", ds.gold[key][0], t, d, s, e, True))
        elif any(k == "gold" for (_, _, k, _) in overlapping(by_doc[d], s, e)):
            g = sorted(x for x in overlapping(by_doc[d], s, e) if x[2] == "gold")[0]
            out.append(("boundary", g[3], t, d, s, e, True))
        elif overlapping(by_doc[d], s, e):
            continue  # overlaps a neutral span only: counted as FP, not worth a class
        else:
            out.append(("spurious", "-", t, d, s, e, True))
    for key, types in sorted(ds.gold.items()):
        if key in matched:
            continue
        d, s, e = key
        same = [p for p in pred_by_doc[d] if (p[0], p[1]) == (s, e)]
        if same:
            continue  # listed as wrong-type above
        over = overlapping(sorted((p[0], p[1], "pred", p[2]) for p in pred_by_doc[d]), s, e)
        if over:
            out.append(("boundary", types[0], over[0][3], d, s, e, False))
        else:
            out.append(("missed", types[0], "-", d, s, e, False))
    return out


def print_errors(name, ds, preds, show_lines):
    texts = {r["id"]: r["text"] for r in ds.records}
    errs = error_lines(ds, preds)
    counts = collections.Counter((c, g if not fp else p, "FP" if fp else "FN")
                                 for (c, g, p, _, _, _, fp) in errs)
    print("errors of %s (class, type, side: count):" % name)
    for (c, t, side), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print("  %-10s %-3s %s %5d" % (c, t, side, n))
    if not show_lines:
        return
    for (c, g, p, d, s, e, fp) in errs:
        text = texts[d]
        ctx = (text[max(0, s - 40):s] + "[" + text[s:e] + "]" + text[e:e + 40]).replace("\n", "|")
        print("\t".join([name, c, g, p, d, str(s), str(e), "FP" if fp else "FN",
                         text[s:e].replace("\n", "|"), ctx]))


def load_titles(path):
    """Lower-case surfaces of the person titles and roles in gazetteers/titles.tsv, without the
    honorifics ("Mr", "Sir"), which the contract keeps inside a mention."""
    titles = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if "role=honorific" not in cols[4]:
                titles.add(cols[0].lower())
    return titles


def holds_title(words, titles):
    """Whether a run of words (all but a name's last) holds a title or role of 1-4 words."""
    low = [w.lower().strip(",") for w in words]
    return any(" ".join(low[i:j]) in titles
               for i in range(len(low)) for j in range(i + 1, min(i + 5, len(low) + 1)))


def contract_bound(ds, titles):
    """Counts of gold spans the contract's mentions cannot equal, and the most non-overlapping
    gold spans left (see Contract bound in the module doc)."""
    texts = {r["id"]: r["text"] for r in ds.records}
    by_doc = collections.defaultdict(list)
    article = title = 0
    for key, types in ds.gold.items():
        words = texts[key[0]][key[1]:key[2]].split()
        if words and words[0].lower() == "the":
            article += 1
        elif types[0] == "PER" and holds_title(words[:-1] if len(words) > 1 else words, titles):
            title += 1
        else:
            by_doc[key[0]].append(key)
    reachable = 0
    for keys in by_doc.values():
        end = -1
        for (_, s, e) in sorted(keys, key=lambda k: (k[2], k[1])):
            if s >= end:
                reachable += 1
                end = e
    return {"gold_spans": len(ds.gold), "article_led": article, "title_in_person": title,
            "reachable": reachable, "recall_bound": reachable / len(ds.gold) if ds.gold else 0.0}


def print_bound(name, bound, micro):
    r = bound["recall_bound"]
    p = micro["p"]
    best = 2 * p * r / (p + r) if p + r else 0.0
    print("%s: %d gold spans; %d led by an article, %d person spans with a title or role; "
          "%d reachable without overlap: recall bound %.3f, so at extract's precision %.3f "
          "the best F1 is %.3f" % (name, bound["gold_spans"], bound["article_led"],
                                  bound["title_in_person"], bound["reachable"], r, p, best))


def fmt_table(results, systems):
    head = "| data set | type | " + " | ".join("%s P | %s R | %s F1" % (s, s, s) for s in systems) + " |"
    sep = "|" + "---|" * (2 + 3 * len(systems))
    rows = [head, sep]
    for dsname, per in results.items():
        for t in TYPES + ("micro",):
            cells = []
            for s in systems:
                r = per[s]["scores"][t]
                cells += ["%.3f" % r["p"], "%.3f" % r["r"], "%.3f" % r["f1"]]
            rows.append("| %s | %s | %s |" % (dsname, t, " | ".join(cells)))
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    evalutil.add_common_args(ap)
    ap.add_argument("--peer", choices=["spacy"], action="append", default=[],
                    help="also score a peer system side by side (spacy: en_core_web_sm)")
    ap.add_argument("--venv", default=str(evalutil.DEFAULT_VENV),
                    help="virtual environment with spaCy, from shared/peers/setup_venv.sh "
                         "(default: %(default)s)")
    ap.add_argument("--only", choices=["conll", "re3d"], help="score one data set only")
    ap.add_argument("--show-errors", action="store_true",
                    help="after the table, list extract's false positives and negatives by "
                         "class and type (see Errors below)")
    ap.add_argument("--errors-for", metavar="DATASET",
                    help="with --show-errors, list error lines only for this data set "
                         "(conll-dev, re3d or re3d-names)")
    ap.add_argument("--untyped", action="store_true",
                    help="score spans only: a prediction equal to a gold span counts whatever "
                         "its type (see Untyped scoring below)")
    ap.add_argument("--contract-bound", action="store_true",
                    help="also report how much of the gold an output following output-v1 can "
                         "match (see Contract bound below)")
    ap.add_argument("--extract-args", default="",
                    help="extra arguments passed to extract, e.g. '--gazetteers DIR'")
    a = ap.parse_args()

    want = [a.only] if a.only else ["conll", "re3d"]
    need = {"conll": "conllpp/conllpp_dev.txt", "re3d": "re3d"}
    data = evalutil.require_data(a.data, *[need[w] for w in want])
    extract = evalutil.require_extract(a.extract)

    datasets = []
    if "conll" in want:
        datasets.append(load_conll(str(data / need["conll"])))
    if "re3d" in want:
        re3d = load_re3d(str(data / need["re3d"]))
        datasets += [re3d, names_only(re3d)]

    systems = ["extract"] + a.peer
    titles = load_titles(TITLES_TSV) if a.contract_bound else set()
    results = collections.OrderedDict()
    errors_of = []
    runs = {}  # id(records) -> outputs, so that re3d and re3d-names share one run
    for ds in datasets:
        per = {}
        if id(ds.records) not in runs:
            out = runs[id(ds.records)] = {}
            out["extract"] = evalutil.run_extract_jsonl(extract, ds.records, a.extract_args.split())
            if "spacy" in a.peer:
                out["spacy"] = evalutil.run_spacy(a.venv, ds.records)
        out = runs[id(ds.records)]
        docs, secs = out["extract"]
        preds, checks = extract_predictions(ds, docs)
        per["extract"] = {"scores": score(ds, preds, a.untyped), "seconds": round(secs, 3), "checks": checks}
        if "spacy" in a.peer:
            ents, secs = out["spacy"]
            per["spacy"] = {"scores": score(ds, spacy_predictions(ds, ents), a.untyped),
                            "seconds": round(secs, 3)}
        per["_gold"] = {"documents": len(ds.records), "gold_spans": len(ds.gold),
                        "gold_by_type": dict(collections.Counter(v[0] for v in ds.gold.values())),
                        "neutral_spans": len(ds.neutral)}
        if a.contract_bound:
            per["_contract_bound"] = contract_bound(ds, titles)
        results[ds.name] = per
        if a.show_errors:
            errors_of.append((ds, preds))

    out = {"command": evalutil.command_line(), "extract": extract, "data": str(data),
           "results": results}
    if a.json:
        print(json.dumps(out, indent=2))
        return
    print(fmt_table(results, systems))
    print()
    for name, per in results.items():
        g = per["_gold"]
        print("%s: %d documents, %d gold spans %s, %d neutral spans" %
              (name, g["documents"], g["gold_spans"], g["gold_by_type"], g["neutral_spans"]))
        for s in systems:
            sc = per[s]["scores"]["micro"]
            print("  %-8s TP %d  FP %d  FN %d  neutral %d  (%.1f s)%s" %
                  (s, sc["tp"], sc["fp"], sc["fn"], per[s]["scores"]["neutral_predictions"],
                   per[s]["seconds"],
                   "" if s != "extract" or not any(per[s]["checks"].values())
                   else "  checks: %s" % per[s]["checks"]))
    if a.contract_bound:
        print()
        for name, per in results.items():
            print_bound(name, per["_contract_bound"], per["extract"]["scores"]["micro"])
    print()
    print("command: %s" % out["command"])
    for ds, preds in errors_of:
        print()
        print_errors(ds.name, ds, preds, a.errors_for in (None, ds.name))


if __name__ == "__main__":
    main()
