#!/usr/bin/env python3
"""Score extract's sentence-level sanction, accusation and denial relations on the PLOVER gold records.

The PLOVER gold-standard records (plover-gsr/PLOVER_GSR_CAMEO.json: 322 one-sentence news
examples, each coded with one PLOVER event type) are all run through `extract --jsonl` in one
process, and each sentence is scored by which relation types extract outputs on it.

Gold, per sentence
  SANCTION                                                       -> sanction
  DISAPPROVE whose text has accus*, blam*, charg* or indict*     -> accusation
  REJECT whose text has den*, reject*, dismiss* or refut*        -> denial
  everything else ("other" sentences)                            -> none of the three
(the wording tests are case-insensitive and anchored at the start of a word). The file holds a
few sentences twice under different records; such a sentence is scored once, with the union of
its records' gold types.

Scoring, per type T in sanction / accusation / denial
  a sentence is a true positive when it has gold T and extract outputs at least one relation of
  type T on it (any modality), a false positive when extract outputs T but the gold is not T,
  a false negative when the gold is T and extract outputs none.
The false-positive rate on "other" sentences is the share of them on which extract outputs any
of the three types. Attribution and affiliation are not part of this gold; their outputs on
"other" sentences are counted and reported separately.

With --asserted-only, only relations whose modality is "asserted" count as output: PLOVER
codes events that took place, so a call for sanctions, a threat or a denied lift is not its
SANCTION, while extract reports them as sanctions with another modality.

Caveats: this gold is wider than the output contract in places. Most REJECT sentences with
"reject"/"deny" wording reject a proposal, request or offer, not an accusation, while the
contract's `denial` is "a party rejects an accusation or attribution"; and several SANCTION
sentences are aid cuts, cancelled visits or ended mediation. Read low recall on those with the
--show-errors list at hand.

Examples
  python3 scripts/eval_relations.py
  python3 scripts/eval_relations.py --show-errors
  python3 scripts/eval_relations.py --asserted-only
  python3 scripts/eval_relations.py --json
"""
import argparse
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evalutil  # noqa: E402

TYPES = ("sanction", "accusation", "denial")
OTHER_TYPES = ("attribution", "affiliation")
ACCUSE_RE = re.compile(r"\b(?:accus|blam|charg|indict)\w*", re.I)
DENY_RE = re.compile(r"\b(?:den|reject|dismiss|refut)\w*", re.I)
GSR = "plover-gsr/PLOVER_GSR_CAMEO.json"


def gold_types(rec):
    ev, text = rec.get("event"), rec.get("text", "")
    if ev == "SANCTION":
        return {"sanction"}
    if ev == "DISAPPROVE" and ACCUSE_RE.search(text):
        return {"accusation"}
    if ev == "REJECT" and DENY_RE.search(text):
        return {"denial"}
    return set()


def load_sentences(path):
    with open(path, encoding="utf-8") as f:
        recs = json.load(f)
    by_text = collections.OrderedDict()
    for r in recs:
        if r.get("event") == "DOCUMENT" or not r.get("text"):
            continue
        s = by_text.setdefault(r["text"], {"id": r["id"], "text": r["text"], "events": [],
                                           "record_ids": [], "gold": set()})
        s["events"].append(r["event"])
        s["record_ids"].append(r["id"])
        s["gold"] |= gold_types(r)
    return list(by_text.values()), sum(1 for r in recs if r.get("event") != "DOCUMENT")


def describe(rel):
    m = rel.get("modality", "?")
    return "%s[%s%s via %s]" % (rel["type"], rel["trigger"]["text"],
                                "" if m == "asserted" else ", " + m, rel.get("rule", "?"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    evalutil.add_common_args(ap)
    ap.add_argument("--show-errors", action="store_true",
                    help="list every miss and false positive with the sentence text")
    ap.add_argument("--asserted-only", action="store_true",
                    help="count only relations with modality 'asserted' (see above)")
    ap.add_argument("--extract-args", default="",
                    help="extra arguments passed to extract, e.g. '--gazetteers DIR'")
    a = ap.parse_args()

    data = evalutil.require_data(a.data, GSR)
    extract = evalutil.require_extract(a.extract)
    sents, n_records = load_sentences(str(data / GSR))
    docs, secs = evalutil.run_extract_jsonl(
        extract, [{"id": s["id"], "text": s["text"]} for s in sents], a.extract_args.split())

    errors_docs = 0
    for s, d in zip(sents, docs):
        if "error" in d:
            errors_docs += 1
        s["rels"] = [r for r in d.get("relations", [])
                     if not a.asserted_only or r.get("modality") == "asserted"]
        s["pred"] = {r["type"] for r in s["rels"]}

    results = {}
    for t in TYPES:
        tp = sum(1 for s in sents if t in s["gold"] and t in s["pred"])
        fp = sum(1 for s in sents if t not in s["gold"] and t in s["pred"])
        fn = sum(1 for s in sents if t in s["gold"] and t not in s["pred"])
        res = evalutil.prf(tp, fp, fn)
        res["gold"] = tp + fn
        res["predicted"] = tp + fp
        results[t] = res
    results["micro"] = evalutil.prf(*(sum(results[t][k] for t in TYPES) for k in ("tp", "fp", "fn")))

    others = [s for s in sents if not s["gold"]]
    any_ours = [s for s in others if s["pred"] & set(TYPES)]
    other_block = {
        "sentences": len(others),
        "with_any_of_ours": len(any_ours),
        "fp_rate": round(len(any_ours) / len(others), 4) if others else 0.0,
        "by_type": {t: sum(1 for s in others if t in s["pred"]) for t in TYPES},
        "by_gold_event": dict(collections.Counter("/".join(sorted(set(s["events"])))
                                                  for s in any_ours).most_common()),
        "with_attribution_or_affiliation": sum(1 for s in others if s["pred"] & set(OTHER_TYPES)),
        "attribution_affiliation_by_type": {t: sum(1 for s in others if t in s["pred"])
                                            for t in OTHER_TYPES},
    }
    non_asserted_fp = sum(1 for s in any_ours
                          if all(r.get("modality") != "asserted" for r in s["rels"] if r["type"] in TYPES))

    errors = []
    for s in sents:
        for t in TYPES:
            if (t in s["gold"]) != (t in s["pred"]):
                errors.append({"kind": "miss" if t in s["gold"] else "false positive", "type": t,
                               "id": s["id"], "events": s["events"], "text": s["text"],
                               "relations": [describe(r) for r in s["rels"]]})

    out = {"command": evalutil.command_line(), "extract": extract, "data": str(data),
           "records": n_records, "sentences": len(sents), "error_documents": errors_docs,
           "extract_seconds": round(secs, 3), "asserted_only": a.asserted_only, "scores": results, "other": other_block,
           "other_fp_only_non_asserted": non_asserted_fp}
    if a.show_errors:
        out["errors"] = errors
    if a.json:
        print(json.dumps(out, indent=2))
        return

    print("| type | gold | predicted | TP | FP | FN | P | R | F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for t in TYPES + ("micro",):
        r = results[t]
        print("| %s | %s | %s | %d | %d | %d | %.3f | %.3f | %.3f |" %
              (t, r.get("gold", r["tp"] + r["fn"]), r.get("predicted", r["tp"] + r["fp"]),
               r["tp"], r["fp"], r["fn"], r["p"], r["r"], r["f1"]))
    o = other_block
    print()
    print("%d records, %d distinct sentences, extract took %.2f s%s" %
          (n_records, len(sents), secs, "" if not errors_docs else
           ", %d error documents!" % errors_docs))
    print("other sentences (no sanction/accusation/denial gold): %d; with any of ours: %d "
          "(false-positive rate %.3f; %d of them only with non-asserted relations)" %
          (o["sentences"], o["with_any_of_ours"], o["fp_rate"], non_asserted_fp))
    print("  by type: %s" % ", ".join("%s %d" % kv for kv in o["by_type"].items()))
    if o["by_gold_event"]:
        print("  by gold PLOVER event: %s" % ", ".join("%s %d" % kv for kv in o["by_gold_event"].items()))
    print("  attribution/affiliation on other sentences (reported apart, not scored): %d sentences (%s)" %
          (o["with_attribution_or_affiliation"],
           ", ".join("%s %d" % kv for kv in o["attribution_affiliation_by_type"].items())))
    if a.show_errors:
        print()
        for e in errors:
            print("%-14s %-10s %s [%s]\n    %s\n    extract: %s" %
                  (e["kind"], e["type"], e["id"], "/".join(e["events"]), e["text"],
                   "; ".join(e["relations"]) or "(no relations)"))
    print()
    print("command: %s" % out["command"])


if __name__ == "__main__":
    main()
