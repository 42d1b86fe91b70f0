"""A rebuild's stages in the preview's process (issue 23), timed in place: a script, not a test.

    PYTHONPATH=. .venv/bin/python benchmarks/stages_preview.py   (from the repository's root)

A cold build into a temporary folder, then four one-word edits of one
paragraph of chapter I, each through `Session.update` with the build the
command line hands the preview; each stage wrapped in perf_counter and
process_time, with the children's CPU (getrusage). Edit 0 lays the
chapter out whole (the cold build did it in a worker).
"""
import functools, importlib, os, resource, shutil, sys, tempfile, time
from pathlib import Path

ROOT = Path.cwd()
SPANS = {}

def wrap(modname, attr, label=None):
    mod = importlib.import_module(modname)
    obj, name = mod, attr
    if "." in attr:
        cls, name = attr.split(".")
        obj = getattr(mod, cls)
    fn = getattr(obj, name)
    label = label or attr
    @functools.wraps(fn)
    def timed(*a, **k):
        w, c = time.perf_counter(), time.process_time()
        ch = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            return fn(*a, **k)
        finally:
            ch2 = resource.getrusage(resource.RUSAGE_CHILDREN)
            s = SPANS.setdefault(label, [0.0, 0.0, 0.0, 0])
            s[0] += time.perf_counter() - w; s[1] += time.process_time() - c
            s[2] += (ch2.ru_utime + ch2.ru_stime) - (ch.ru_utime + ch.ru_stime); s[3] += 1
    setattr(obj, name, timed)

def main():
    from pipeline.render.pdf.units import keep_layouts
    from pipeline.cli.preview import rebuild
    from pipeline.preview.session import Session
    keep_layouts()
    tmp = Path(tempfile.mkdtemp(prefix="stages-"))
    ms = shutil.copytree(ROOT / "manuscript", tmp / "ms"); out = tmp / "out"
    for m, a in [("pipeline.freshness", "stamp"), ("pipeline.build", "load_book"), ("pipeline.chapters", "load"),
                 ("pipeline.resolve", "resolve"), ("pipeline.render.pdf.glyphs", "check"),
                 ("pipeline.render.pdf.units", "Layouts.both"), ("pipeline.render.pdf.units", "Layouts._key"),
                 ("pipeline.render.pdf.units", "_tell_early"), ("pipeline.render.pdf.units", "_write"),
                 ("pipeline.render.pdf.merge", "merge"), ("pipeline.render.pdf", "_page_keys"),
                 ("pipeline.snapshot", "keep"), ("pipeline.freshness", "record"),
                 ("pipeline.preview.session", "Session._show_early"), ("pipeline.preview.session", "Session._advance"),
                 ("pipeline.preview.generation", "make"), ("pipeline.preview.session", "compare"),
                 ("pipeline.build", "_write_epub"), ("pipeline.render.pdf.units", "lay_out_unit")]:
        wrap(m, a)
    s = Session(lambda early: rebuild(ms, out, early), out / ".preview", out / ".cache" / "page-texts.json")
    t = time.perf_counter(); s.update(); print(f"cold {time.perf_counter()-t:.2f}s", s.errors[:3], flush=True)
    chap = next(p for p in sorted(ms.glob("*.md")) if "mundo-sin-evasion" in p.name)
    words = [" helado", " gélido", " glacial", " aterido"]
    for n, word in enumerate(words):
        text = chap.read_text(); i = text.index("\n\n", len(text) // 3)
        chap.write_text(text[:i] + word + text[i:])
        SPANS.clear()
        w, c = time.perf_counter(), time.process_time()
        ch = resource.getrusage(resource.RUSAGE_CHILDREN)
        s.update()
        ch2 = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"edit {n}: update wall {time.perf_counter()-w:.2f} cpu {time.process_time()-c:.2f} "
              f"children cpu {(ch2.ru_utime+ch2.ru_stime)-(ch.ru_utime+ch.ru_stime):.2f}; timing {s.timing}; "
              f"changed {[c.new for c in s.changes if c.kind!='moved']} load {os.getloadavg()[0]:.1f}", flush=True)
        for k, (wa, cp, chc, cnt) in sorted(SPANS.items(), key=lambda kv: -kv[1][0]):
            print(f"   {k:28s} wall {wa:6.2f}  cpu {cp:6.2f}  child-cpu {chc:6.2f}  n={cnt}")
    shutil.rmtree(tmp)

if __name__ == "__main__":
    main()
