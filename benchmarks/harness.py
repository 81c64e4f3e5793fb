"""Shared helpers for the benchmark scripts: machine info, timed child processes, results files.

Every measurement runs in a fresh child process (cold caches, honest start-up costs), is
repeated, and reported as the median with min and max. Peak memory comes from the kernel's
accounting of the child (``wait4`` ``ru_maxrss``) plus a sampled sum over the process tree
(proportional set size, so forked workers sharing pages are not counted twice).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / "data"
RESULTS = DATA / "results"
LIBRARIES = ["spacy", "spacy-lookups-data", "thinc", "scikit-learn", "numpy", "scipy", "pandas", "joblib",
             "click", "fasttext", "pyarrow"]
RESULT_PREFIX = "RESULT "

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def code_fingerprint() -> str:
    """SHA-256 (first 12 hex digits) over the classifier code, cli.py and the bundled model card."""
    digest = hashlib.sha256()
    files = sorted((REPO / "classifier").glob("*.py")) + [REPO / "cli.py", REPO / "models" / "default" / "card.json"]
    for path in files:
        if path.exists():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


def machine_info() -> dict:
    """CPU, cores, memory, load, interpreter and library versions of this run."""
    try:
        mem_kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        mem_kb = 0
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gb": round(mem_kb / 1024**2, 1),
        "os": platform.platform(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "python_executable": Path(sys.executable).parent.parent.name + "/" + Path(sys.executable).name,
        "versions": versions(),
        "openblas_env": {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")},
        "code": code_fingerprint(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def print_machine(info: dict | None = None, file=sys.stderr) -> None:
    info = info or machine_info()
    v = ", ".join(f"{k} {x}" for k, x in info["versions"].items())
    print(f"# {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB, load {info['loadavg']}", file=file)
    print(f"# {v}; code {info['code']}", file=file)


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
            found.extend(int(c) for c in text)
    except OSError:
        pass
    return found


def _memory_kb(pid: int) -> int:
    """Proportional set size (falls back to RSS) of one process, in kB."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0


def tree_memory_kb(pid: int) -> int:
    """Memory of a process and all its descendants (sum of PSS), in kB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _memory_kb(p)
        todo.extend(_children(p))
    return total


def run_measured(cmd: list[str], *, env: dict | None = None, cwd: Path = REPO, sample: float = 0.2,
                 stdout=subprocess.PIPE, timeout: float | None = None) -> dict:
    """Run ``cmd``; return wall seconds, peak RSS of the child (MB), peak tree PSS (MB), output.

    Raises ``RuntimeError`` with the child's stderr when it fails.
    """
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(REPO) + (os.pathsep + full_env["PYTHONPATH"] if full_env.get("PYTHONPATH") else "")
    full_env.update(env or {})
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=stdout, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def watch():
        while not done.wait(sample):
            peak[0] = max(peak[0], tree_memory_kb(proc.pid))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out_chunks, err_chunks = [], []
    readers = []
    for stream, sink in ((proc.stdout, out_chunks), (proc.stderr, err_chunks)):
        if stream is not None:
            t = threading.Thread(target=lambda s=stream, k=sink: k.append(s.read()), daemon=True)
            t.start()
            readers.append(t)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    for t in readers:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = "".join(out_chunks), "".join(err_chunks)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed with exit {proc.returncode}:\n{err[-3000:]}")
    result = None
    for line in reversed(out.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX):])
            break
    return {
        "wall_s": wall,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "peak_tree_pss_mb": peak[0] / 1024,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "load_before": round(load_before, 2),
        "result": result,
        "stdout_tail": out[-500:] if result is None else "",
        "stderr_tail": err[-500:],
    }


def child_command(script: str, *args: str) -> list[str]:
    """The command that runs ``script``'s worker ``args`` in a fresh interpreter."""
    return [sys.executable, str(Path(script).resolve()), "_work", *args]


def run_worker(argv: list[str], workers: dict) -> bool:
    """Run ``workers[name](*rest)`` when ``argv`` is ``["_work", name, *rest]``; True if it did."""
    if argv and argv[0] == "_work":
        workers[argv[1]](*argv[2:])
        return True
    return False


def emit(result: dict) -> None:
    """Hand a worker's measurements to the parent (last line of stdout)."""
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def summarise(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
