"""The PII scanner side by side with Microsoft Presidio on one generated corpus (issue 12).

    .venv/bin/python -m benchmarks.pii_scanner --docs 5000

Generates the labelled corpus (``benchmarks/pii_corpus.py``, into a temporary directory),
runs Personvern's scanner (``personvern.pii.engine.scan``) in this process and Presidio in its
own venv (``benchmarks/.venv-presidio``, see benchmarks/README.md; ``--presidio-python`` to
point elsewhere), then prints recall, precision and F1 per kind group and the throughput in
MB/s (UTF-8 bytes of text scanned per second, start-up excluded, best of ``--repeat`` runs for
our scanner, one run for Presidio), by CPU time of the process (``time.process_time``: the
shared machine's load changes from minute to minute) and by wall time.

Matching: a finding counts when it overlaps a gold span of the same kind (identity numbers:
of any identity kind, so a Swedish number read as Danish still counts as found in the
group; the per-kind confusion is printed separately). Each gold span is found at most once.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._setup import git_revision, machine
from benchmarks.pii_corpus import generate
from personvern.pii.engine import scan
from personvern.pii.engine.terms import RULES_FILE

HERE = Path(__file__).resolve().parent
IDENTITY = {"no_fnr", "no_dnr", "no_hnr", "se_personnummer", "dk_cpr", "fi_hetu"}
GROUPS = ("identity numbers", "special categories (Art. 9)", "criminal data (Art. 10)",
          "Art. 9 + 10 together")  # fmt: skip


def group_of(kind: str) -> str:
    if kind in IDENTITY:
        return GROUPS[0]
    return GROUPS[2] if kind == "criminal" else GROUPS[1]


def same(a: str, b: str) -> bool:
    return (a in IDENTITY and b in IDENTITY) or a == b


def evaluate(
    docs: list[dict[str, Any]], predictions: dict[Any, list[list[Any]]]
) -> dict[str, Counter[str]]:
    tally: dict[str, Counter[str]] = {g: Counter() for g in GROUPS}
    for doc in docs:
        gold = [tuple(s) for s in doc["spans"]]
        found = [tuple(p) for p in predictions.get(doc["id"], [])]
        used: set[int] = set()
        for start, end, kind in found:
            match = next(
                (i for i, (gs, ge, gk) in enumerate(gold)
                 if i not in used and gs < end and start < ge and same(kind, gk)),
                None,
            )  # fmt: skip
            groups = [group_of(kind)] + ([GROUPS[3]] if kind not in IDENTITY else [])
            for g in groups:
                tally[g]["tp" if match is not None else "fp"] += 1
            if match is not None:
                used.add(match)
        for i, (_s, _e, kind) in enumerate(gold):
            groups = [group_of(kind)] + ([GROUPS[3]] if kind not in IDENTITY else [])
            for g in groups:
                tally[g]["gold"] += 1
                tally[g]["found"] += i in used
    return tally


def scores(t: Counter[str]) -> tuple[float, float, float]:
    recall = t["found"] / t["gold"] if t["gold"] else 0.0
    predicted = t["tp"] + t["fp"]
    precision = t["tp"] / predicted if predicted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return recall, precision, f1


def run_ours(
    docs: list[dict[str, Any]], repeat: int
) -> tuple[dict[Any, list[list[Any]]], float, float]:
    """Predictions, and the best wall and CPU seconds of ``repeat`` runs."""
    scan("Oppstart: regler lastes.")  # load the word lists before timing
    wall = cpu = float("inf")
    predictions: dict[Any, list[list[Any]]] = {}
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        predictions = {d["id"]: [[m.start, m.end, m.kind] for m in scan(d["text"])] for d in docs}
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - cpu_started)
    return predictions, wall, cpu


def run_presidio(python: Path, corpus: Path, workdir: Path) -> dict[str, Any]:
    out = workdir / "presidio.json"
    subprocess.run(
        [str(python), str(HERE / "pii_presidio_runner.py"), str(corpus), str(RULES_FILE), str(out)],
        check=True,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def kind_confusion(
    docs: list[dict[str, Any]], predictions: dict[Any, list[list[Any]]]
) -> Counter[tuple[str, str]]:
    confusion: Counter[tuple[str, str]] = Counter()
    for doc in docs:
        for gs, ge, gk in doc["spans"]:
            hits = [k for s, e, k in predictions.get(doc["id"], []) if s < ge and gs < e]
            confusion[(gk, hits[0] if hits else "—")] += 1
    return confusion


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--filler", type=int, default=0,
        help="Unlabelled everyday sentences added to every document (see pii_corpus).",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--presidio-python", type=Path, default=HERE / ".venv-presidio/bin/python")
    parser.add_argument("--confusion", action="store_true", help="Print gold kind -> found kind.")
    args = parser.parse_args()
    docs = generate(args.docs, args.seed, args.filler)
    size = sum(len(d["text"].encode("utf-8")) for d in docs)
    gold = Counter(k for d in docs for _s, _e, k in d["spans"])
    print(f"machine: {machine()}; python {sys.version.split()[0]}; revision {git_revision()}")
    print(f"corpus: {len(docs)} documents, {size / 1e6:.2f} MB, seed {args.seed}, "
          f"filler {args.filler}; gold spans: "
          + ", ".join(f"{k} {n}" for k, n in sorted(gold.items())))  # fmt: skip
    ours, ours_wall, ours_cpu = run_ours(docs, args.repeat)
    with tempfile.TemporaryDirectory(prefix="personvern-pii-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text(
            "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8"
        )
        presidio = run_presidio(args.presidio_python, corpus, Path(tmp))
    theirs = {r["id"]: r["findings"] for r in presidio["results"]}
    print(
        f"presidio-analyzer {presidio['version']}, spaCy {presidio['spacy']} (blank 'nb' pipeline)"
    )
    print()
    print("| kind group | scanner | recall | precision | F1 |")
    print("| --- | --- | ---: | ---: | ---: |")
    tallies = {"Personvern": evaluate(docs, ours), "Presidio": evaluate(docs, theirs)}
    for group in GROUPS:
        for name, tally in tallies.items():
            r, p, f = scores(tally[group])
            print(f"| {group} | {name} | {r:.3f} | {p:.3f} | {f:.3f} |")
    print()
    mb = size / 1e6
    print("| scanner | wall s | CPU s | MB/s (CPU) | MB/s (wall) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| Personvern (best of {args.repeat}) | {ours_wall:.3f} | {ours_cpu:.3f} "
          f"| {mb / ours_cpu:.2f} | {mb / ours_wall:.2f} |")  # fmt: skip
    print(f"| Presidio | {presidio['seconds']:.2f} | {presidio['cpu']:.2f} "
          f"| {mb / presidio['cpu']:.3f} | {mb / presidio['seconds']:.3f} |")  # fmt: skip
    print(
        f"\nthroughput ratio (CPU time): {presidio['cpu'] / ours_cpu:.0f}x; "
        f"(wall time): {presidio['seconds'] / ours_wall:.0f}x; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if args.confusion:
        for name, predictions in (("Personvern", ours), ("Presidio", theirs)):
            print(f"\n{name}: gold kind -> kind found (first overlapping), count")
            for (g, k), n in sorted(kind_confusion(docs, predictions).items()):
                if g != k:
                    print(f"  {g} -> {k}: {n}")


if __name__ == "__main__":
    main()
