#!/usr/bin/env python3
"""Mutation run over every check that names a culprit or refuses input.

A check is an `if` whose branch (outside any nested `if`) refuses: it adds to a blame
(`blame.add`), names a culprit (`culprits.push_back`), or returns an error (`make_error`,
`blame`, `fail`, `invalid`, `*_error`); a branch whose only error is `ErrorKind::Internal` is a
sanity check of our own state, not a refusal, and is left out.

All mutants are compiled into one copy of the tree (a mutant schema): check N's condition becomes
`TSIGN_MUTANT_KEEP(N) && (condition)`, which is the original code unless the environment says
TSIGN_MUTANT=N. One build serves every mutant, and a rerun recompiles only the files whose text
changed. Each mutant then runs its area's tests (src/<area>/ -> test_<area>); one that survives them
runs every test binary. A mutant that survives all of them is reported with its file and line,
unless tools/mutation/equivalents.txt lists it with the reason its check cannot matter.

Usage:
  tools/mutate.py                  the full run over src/
  tools/mutate.py --list           the checks found, and the refusals no check guards
  tools/mutate.py --sample 8       eight mutants chosen at random (--seed S)
  tools/mutate.py --only dkg/dkg.cpp   the mutants of files whose path contains this
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tools" / "mutation" / "equivalents.txt"

REFUSAL = re.compile(
    r"\b\w*blame\s*\.\s*add\s*\("
    r"|\bculprits\s*\.\s*(?:push_back|emplace_back|insert)\s*\("
    r"|\breturn\s+[\w.:]*?(?:make_error|blame|fail|invalid|\w+_error)\s*\("
)
INTERNAL = re.compile(r"ErrorKind\s*::\s*Internal")
DECLARATION = re.compile(r"\s*(?:const\s+)?[A-Za-z_][\w:]*(?:<[^;]*>)?\s*[&*]*\s+[&*]*\w+\s*(?:=(?!=)|\{)")


def mask(text):
    """The text with comments and the insides of string and character literals blanked (same
    length, newlines kept), so that structure can be read from it."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            k = text.find("(", i + 2)
            delim = text[i + 2:k]
            j = text.find(")" + delim + '"', k)
            j = n if j < 0 else j + len(delim) + 2
            blank(i + 2, j - 1)
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator: 1'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, j)
            i = j + 1
        else:
            i += 1
    return "".join(out)


def match_close(masked, i):
    """Index of the bracket closing the one at i."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    stack = []
    for j in range(i, len(masked)):
        c = masked[j]
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")}]":
            if not stack or stack.pop() != c:
                return -1
            if not stack:
                return j
    return -1


def skip_space(masked, i):
    while i < len(masked) and masked[i].isspace():
        i += 1
    return i


IF_TOKEN = re.compile(r"\bif\b")


def if_statement(masked, at):
    """(condition start, condition end, body start, body end) of the `if` at `at`, or None."""
    i = skip_space(masked, at + 2)
    if masked.startswith("constexpr", i):
        return None
    if i >= len(masked) or masked[i] != "(":
        return None
    close = match_close(masked, i)
    if close < 0:
        return None
    b = skip_space(masked, close + 1)
    if b < len(masked) and masked[b] == "{":
        e = match_close(masked, b)
    else:  # one statement: up to the first `;` outside brackets
        e, depth = b, 0
        while e < len(masked):
            c = masked[e]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif c == ";" and depth == 0:
                break
            e += 1
    if e < 0 or e >= len(masked):
        return None
    return i + 1, close, b, e + 1


def if_statements(masked, start=0, end=None):
    """(position, span) of every `if` statement in masked[start:end], span as if_statement gives it."""
    for m in IF_TOKEN.finditer(masked, start, len(masked) if end is None else end):
        span = if_statement(masked, m.start())
        if span is not None:
            yield m.start(), span


def direct_text(masked, start, end):
    """The masked text of [start, end) with every nested `if` statement blanked."""
    body = list(masked[start:end])
    for at, span in if_statements(masked, start, end):
        for k in range(at - start, min(span[3], end) - start):
            body[k] = " "
    return "".join(body)


@dataclass
class Site:
    id: int
    path: str  # relative to ROOT
    line: int
    condition: str
    cond_start: int
    cond_end: int

    @property
    def area(self):
        return self.path.split("/")[1]

    @property
    def key(self):
        return f"{self.path} | {' '.join(self.condition.split())}"


def refuses(text, masked, start, end):
    direct = direct_text(masked, start, end)
    found = False
    for m in REFUSAL.finditer(direct):
        # The call's own text (up to its end) decides whether it is an internal sanity check.
        open_paren = direct.find("(", m.end() - 1)
        close = match_close(masked, start + open_paren)
        call = text[start + m.start(): close + 1 if close > 0 else end]
        if not INTERNAL.search(call):
            found = True
    return found


def scan_file(path, text):
    masked = mask(text)
    sites = []
    for at, (cs, ce, bs, be) in if_statements(masked):
        if not refuses(text, masked, bs, be):
            continue
        # `if (init; condition)`: only the condition is guarded.
        depth, k = 0, cs
        for j in range(cs, ce):
            c = masked[j]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif c == ";" and depth == 0:
                k = j + 1
        if DECLARATION.match(masked[k:ce]):
            continue  # a declaration as the condition: nothing to guard without changing its scope
        k = skip_space(masked, k)
        sites.append(Site(0, path, text.count("\n", 0, at) + 1, text[k:ce], k, ce))
    return sites


def unguarded_refusals(path, text):
    """Refusals that no `if` guards (a switch's default, a function that always refuses)."""
    masked = mask(text)
    guarded = [(bs, be) for _, (_, _, bs, be) in if_statements(masked)]
    out = []
    for m in REFUSAL.finditer(masked):
        if not any(a <= m.start() < b for a, b in guarded):
            out.append(text.count("\n", 0, m.start()) + 1)
    return out


def source_files():
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "src"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    return sorted(f for f in files if f.endswith((".cpp", ".hpp")) and (ROOT / f).is_file())


def scan():
    sites = []
    for f in source_files():
        sites += scan_file(f, (ROOT / f).read_text())
    for n, s in enumerate(sites, 1):
        s.id = n
    return sites


def load_equivalents():
    """key -> reason, from lines `path | condition | reason`."""
    out = {}
    if not EQUIVALENTS.exists():
        return out
    for line in EQUIVALENTS.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        path, condition, reason = (p.strip() for p in line.split(" | ", 2))
        out[f"{path} | {' '.join(condition.split())}"] = reason
    return out


SWITCH = """#pragma once
// Mutation builds only (tools/mutate.py): check N is off when TSIGN_MUTANT=N.
#include <cstdlib>
namespace tsign_mutation {
inline int active() noexcept {
  static const int id = [] {
    const char* v = std::getenv("TSIGN_MUTANT");
    return v ? std::atoi(v) : 0;
  }();
  return id;
}
}  // namespace tsign_mutation
#define TSIGN_MUTANT_KEEP(n) (::tsign_mutation::active() != (n))
"""


def write_if_changed(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text() == content:
        return False
    path.write_text(content)
    return True


def make_tree(work, sites):
    """The source tree with every mutant compiled in; files whose text is unchanged keep their
    time stamps, so the build recompiles only what changed."""
    tree = work / "tree"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    by_file = {}
    for s in sites:
        by_file.setdefault(s.path, []).append(s)
    for f in files:
        src = ROOT / f
        if not src.is_file():
            continue
        if f in by_file:
            text = src.read_text()
            for s in sorted(by_file[f], key=lambda s: s.cond_start, reverse=True):
                text = (text[:s.cond_start] + f"TSIGN_MUTANT_KEEP({s.id}) && (" + text[s.cond_start:s.cond_end] + ")" +
                        text[s.cond_end:])
            write_if_changed(tree / f, text)
        else:
            dst = tree / f
            if not dst.exists() or dst.stat().st_size != src.stat().st_size or dst.read_bytes() != src.read_bytes():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(src, dst)  # a fresh time stamp, so that the build sees the change
    # A file the source tree no longer has (moved or deleted) must not linger in the copy, where a
    # glob would still compile it.
    kept = set(files)
    if tree.exists():
        for path in sorted(tree.rglob("*"), reverse=True):
            rel = path.relative_to(tree).as_posix()
            if path.is_file() and rel not in kept:
                path.unlink()
    write_if_changed(work / "mutant_switch.hpp", SWITCH)
    return tree


def build(work, tree, jobs):
    bdir = work / "build"
    flags = f"-O1 -include {work / 'mutant_switch.hpp'}"
    cfg = ["cmake", "-S", str(tree), "-B", str(bdir), "-DCMAKE_BUILD_TYPE=", f"-DCMAKE_CXX_FLAGS={flags}",
           "-DTSIGN_WERROR=OFF", "-DTSIGN_BUILD_BENCH=OFF", "-DTSIGN_BUILD_EXAMPLES=ON"]
    if shutil.which("ccache"):
        cfg.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
    subprocess.run(cfg, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", str(bdir), "-j", str(jobs)], check=True, stdout=subprocess.DEVNULL)
    return bdir / "tests"


def run_binary(binary, mutant, timeout):
    env = dict(os.environ)
    if mutant:
        env["TSIGN_MUTANT"] = str(mutant)
    try:
        r = subprocess.run([str(binary), "--abort"], cwd=binary.parent, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=timeout)
        return "passed" if r.returncode == 0 else "failed"
    except subprocess.TimeoutExpired:
        return "timeout"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="list the checks found and the unguarded refusals")
    ap.add_argument("--sample", type=int, help="run this many mutants chosen at random")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--only", help="only the mutants of files whose path contains this")
    ap.add_argument("--work", default=str(ROOT / "build" / "mutation"))
    # Twice the cores: the network and CLI tests spend much of their time waiting.
    ap.add_argument("--jobs", type=int, default=2 * (os.cpu_count() or 1))
    args = ap.parse_args()

    started = time.time()
    sites = scan()
    equivalents = load_equivalents()
    if args.list:
        for s in sites:
            mark = "  [equivalent]" if s.key in equivalents else ""
            print(f"{s.id:4} {s.path}:{s.line}: {' '.join(s.condition.split())}{mark}")
        for f in source_files():
            for line in unguarded_refusals(f, (ROOT / f).read_text()):
                print(f"   - {f}:{line}: a refusal no check guards")
        return 0

    stale = set(equivalents) - {s.key for s in sites}
    for key in sorted(stale):
        print(f"equivalents.txt names a check that no longer exists: {key}", file=sys.stderr)

    chosen = [s for s in sites if not args.only or args.only in s.path]
    if args.sample:
        rng = random.Random(args.seed)
        chosen = rng.sample(chosen, min(args.sample, len(chosen)))

    work = Path(args.work)
    print(f"mutation: {len(sites)} checks in src/, {len(chosen)} to run; building the mutant schema in {work}",
          flush=True)
    tests = build(work, make_tree(work, sites), args.jobs)
    binaries = sorted(p for p in tests.glob("test_*") if p.is_file() and os.access(p, os.X_OK))
    baseline = {}
    for b in binaries:
        t0 = time.time()
        if run_binary(b, 0, 1800) != "passed":
            print(f"mutation: {b.name} fails with no mutant active; fix the tests first", file=sys.stderr)
            return 2
        baseline[b.name] = time.time() - t0
    built = time.time()
    print(f"mutation: built and baseline passed in {built - started:.0f} s", flush=True)

    def timeout(b):
        return 30 + 5 * baseline[b.name]

    def judge(site):
        area = tests / f"test_{site.area}"
        first = [area] if area in binaries else []
        rest = sorted((b for b in binaries if b not in first), key=lambda b: baseline[b.name])  # quickest first
        for b in first + rest:
            verdict = run_binary(b, site.id, timeout(b))
            if verdict != "passed":
                return site, f"caught by {b.name}" + (" (timeout)" if verdict == "timeout" else "")
        return site, "survived"

    results = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for site, verdict in pool.map(judge, chosen):
            results.append((site, verdict))
            if len(results) % 50 == 0:
                print(f"mutation: {len(results)} of {len(chosen)} run", flush=True)

    caught = [r for r in results if r[1] != "survived"]
    equivalent = [r for r in results if r[1] == "survived" and r[0].key in equivalents]
    survivors = [r for r in results if r[1] == "survived" and r[0].key not in equivalents]
    for site, verdict in results:
        if verdict == "survived":
            tag = "EQUIVALENT" if site.key in equivalents else "SURVIVED"
            print(f"{tag:10} #{site.id} {site.path}:{site.line}: if ({' '.join(site.condition.split())})")
    caught_equivalents = [r for r in caught if r[0].key in equivalents]
    for site, verdict in caught_equivalents:
        print(f"NOT EQUIVALENT #{site.id} {site.path}:{site.line}: listed as equivalent but {verdict}")
    summary = {
        "mutants": len(results), "caught": len(caught), "equivalents": len(equivalent),
        "survivors": len(survivors), "build_seconds": round(built - started),
        "total_seconds": round(time.time() - started),
    }
    (work / "report.json").write_text(json.dumps(
        {"summary": summary,
         "results": [{"id": s.id, "file": s.path, "line": s.line, "condition": " ".join(s.condition.split()),
                      "verdict": v} for s, v in results]}, indent=1))
    print("mutation: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    return 1 if survivors or caught_equivalents else 0


if __name__ == "__main__":
    sys.exit(main())
