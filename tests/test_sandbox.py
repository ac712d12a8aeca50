"""Student code runs in a jailed, limited process that owns nothing and sees nothing.

Every test here that forks or signals does so inside the student process's own PID
namespace (the jail); the tests of the non-root path run the judge itself in a PID
namespace of its own (`unshare --pid --fork --kill-child`).
"""
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest

from autograder.sandbox import isolation
from autograder.sandbox.limits import Limits
from autograder.sandbox.student_process import CRASHED, OUT_OF_BUDGET, PROTOCOL, TIMED_OUT, StudentProcess

from conftest import ROOT, run

CHANNEL = """
def _channel():
    import fcntl, os, stat
    for fd in range(3, 256):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode) and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY:
                return fd
        except OSError:
            pass
"""
CELLS = [{"id": "f", "source": CHANNEL + """
import numpy as np
def double(x):
    return 2 * x
def uses_double(x):
    return double(x) + 1
def in_place(x):
    x += 1
    return x
def forever(x):
    while True:
        pass
def leave(x):
    import os
    os._exit(3)
def peek():
    import importlib
    found = []
    for name in ("solutions", "autograder", "solutions.lab2_binary_classification"):
        try:
            importlib.import_module(name)
            found.append(name)
        except ImportError:
            pass
    return found
def talk():
    import os
    os.write(_channel(), b'garbage' * 10)
    return 1
"""}]
FUNCTIONS = ["double", "uses_double", "in_place", "forever", "leave", "peek", "talk"]


def process(cells=CELLS, functions=FUNCTIONS, **limits):
    return StudentProcess(cells, functions, limits=Limits(**limits) if limits else None,
                          reference={"double": lambda x: np.asarray(x) * 100})


def test_calls_return_plain_data_and_report_in_place_changes():
    with process() as p:
        assert p.isolated and p.load_report.defined == FUNCTIONS
        result = p.call("double", [np.array([1.0, 2.0])])
        np.testing.assert_array_equal(result.value, [2.0, 4.0])
        assert not result.modified_inputs
        assert p.call("in_place", [np.array([1.0])]).modified_inputs


def test_only_declared_callees_are_answered_by_the_reference():
    with process() as p:
        assert p.call("uses_double", [1.0]).value == 3.0
        assert p.call("uses_double", [1.0], reference=["double"]).value == 101.0
        # never for the function being judged itself
        assert p.call("double", [1.0], reference=["double"]).value == 2.0


def test_a_traced_call_lists_what_the_student_code_asked_the_judge():
    cells = [{"id": "t", "source": "import numpy as np\ndef double(x):\n    return 2 * x\n"
                                   "def loop(x):\n    for row in np.asarray(x):\n        double(row)\n    return 0\n"}]
    with process(cells, ["double", "loop"]) as p:
        result = p.call("loop", [np.arange(6.0).reshape(3, 2)], reference=["double"], trace=True)
        assert [c["name"] for c in result.trace] == ["double"] * 3
        np.testing.assert_array_equal(result.trace[2]["args"][0], [4.0, 5.0])
        assert all(c["answered"] for c in result.trace)
        assert p.call("loop", [np.ones((3, 2))], reference=["double"]).trace == []


def test_requests_larger_than_the_judged_call_run_the_students_own_function():
    cells = [{"id": "g", "source": "import numpy as np\n"
                                   "def double(x):\n    return 2 * np.asarray(x)\n"
                                   "def asks_big(x):\n    return double(np.ones(20_000 * np.size(x)))[:3]\n"
                                   "def asks_small(x):\n    return double(np.asarray(x)[:2])\n"}]
    with process(cells, ["double", "asks_big", "asks_small"]) as p:
        np.testing.assert_array_equal(p.call("asks_small", [np.ones(4)], reference=["double"]).value, [100, 100])
        np.testing.assert_array_equal(p.call("asks_big", [np.ones(4)], reference=["double"]).value, [2, 2, 2])


def test_endless_loops_and_exits_are_contained_and_the_process_restarts():
    with process(call_seconds=1.0) as p:
        result = p.call("forever", [0])
        assert result.failure_kind == TIMED_OUT and "did not finish within 1 s" in result.failure
        result = p.call("leave", [0])
        assert result.failure_kind == CRASHED and "exit code 3" in result.failure
        assert p.call("double", [4]).value == 8
        assert p.restarts == 2


def test_the_course_cannot_be_imported():
    with process() as p:
        assert p.call("peek").value == []


def test_garbage_on_the_channel_is_a_protocol_failure_not_a_crash():
    with process() as p:
        result = p.call("talk")
        assert result.failure_kind == PROTOCOL and "protocol" in result.failure
        assert p.call("double", [1]).value == 2


def test_a_student_process_that_stops_reading_cannot_block_the_judge():
    """A request whose answer overflows the pipe, and the reply never read: the judge's
    write has a deadline."""
    cells = [{"id": "s", "source": CHANNEL + '''
import json, os, struct, sys, time
def double(x):
    return x
def stall(x):
    body = json.dumps({"op": "ref_call", "name": "double", "args": [x.tolist()], "kwargs": {"$dict": []}}).encode()
    os.write(_channel(), struct.pack(">Q", len(body)) + body)
    time.sleep(60)
'''}]
    with process(cells, ["double", "stall"], call_seconds=2.0) as p:
        start = time.monotonic()
        result = p.call("stall", [np.arange(200_000.0)], reference=["double"])
        assert time.monotonic() - start < 10
        assert result.failure_kind in (PROTOCOL, TIMED_OUT), result


def test_asking_the_judge_for_too_much_work_is_out_of_budget():
    cells = [{"id": "b", "source": "def double(x):\n    return x\n"
                                   "def many(x):\n    for _ in range(10**6):\n        double(x)\n    return 1\n"}]
    with process(cells, ["double", "many"], reference_calls=50) as p:
        result = p.call("many", [1.0], reference=["double"])
        assert result.failure_kind == OUT_OF_BUDGET and "more than 50 calls" in result.failure


def test_oversized_messages_are_refused():
    cells = [{"id": "o", "source": CHANNEL + "import os, struct, sys\ndef big():\n"
                                   "    os.write(_channel(), struct.pack('>Q', 2**40))\n    return 1\n"}]
    with process(cells, ["big"]) as p:
        result = p.call("big")
        assert result.failure_kind == PROTOCOL and "bytes" in result.failure


def test_a_cell_that_raises_is_reported_and_the_rest_still_runs():
    cells = [{"id": "a", "source": "def f():\n    return 1\nraise SystemExit(1)"},
             {"id": "b", "source": "def g():\n    return 2"}]
    with StudentProcess(cells, ["f", "g"]) as p:
        assert p.load_report.defined == ["f", "g"]
        assert p.load_report.cell_errors["a"].type == "SystemExit"


JAIL_PROBE = '''
import os, socket, stat
def probe(paths, shm_name="nnlabs-jail-probe"):
    seen = {"uid": os.getuid(), "pid": os.getpid(), "root": sorted(os.listdir("/")), "procs": sorted(
        p for p in os.listdir("/proc") if p.isdigit())}
    for path in paths:
        try:
            seen[path] = sorted(os.listdir(path)) if os.path.isdir(path) else open(path, "rb").read(40).decode("latin-1")
        except OSError as exc:
            seen[path] = type(exc).__name__
    try:
        socket.create_connection(("127.0.0.1", 22), timeout=1)
        seen["network"] = "connected"
    except OSError as exc:
        seen["network"] = type(exc).__name__
    for target in ("/probe_file", os.path.join(os.path.dirname(os.__file__), "probe.txt"),
                   "/proc/sys/kernel/hostname", "/etc/probe"):
        try:
            with open(target, "w") as handle:
                handle.write("x")
            seen[target] = "written"
        except OSError as exc:
            seen[target] = type(exc).__name__
    with open("/proc/self/status") as handle:
        status = dict(line.split(":", 1) for line in handle)
    seen["caps"] = [status[k].strip() for k in ("CapEff", "CapPrm", "CapBnd")]
    seen["no_new_privs"] = status["NoNewPrivs"].strip()
    with open("/dev/shm/" + shm_name, "wb") as handle:
        handle.write(b"x" * 1000)
    try:
        with open("/tmp/big", "wb") as handle:
            handle.write(b"x" * (64 * 2**20))
        seen["tmp"] = "unbounded"
    except OSError as exc:
        seen["tmp"] = type(exc).__name__
    return seen
'''


def jail_listing(folder):
    """What the jail shows of a folder of the machine: only the way to the folders Python
    needs (`isolation._python_binds`, wherever this Python is installed: a home folder, /usr,
    /opt, /tmp...), FileNotFoundError where none lies inside, None where it is bound itself."""
    binds, links = isolation._python_binds()
    if any(folder == b or folder.startswith(b + "/") for b in binds):
        return None
    inside = [p for p in (*binds, *(link for link, _ in links)) if p.startswith(folder + "/")]
    return sorted({p[len(folder) + 1:].split("/")[0] for p in inside}) or "FileNotFoundError"


def test_the_jail_shows_no_course_no_network_and_owns_nothing():
    other_run = tempfile.mkdtemp(prefix="nnlabs-other-run-")     # e.g. another submission's scratch folder
    shm_name = f"nnlabs-jail-probe-{os.getpid()}-{os.path.basename(other_run)}"   # no other test writes it
    with open(os.path.join(other_run, "answers.txt"), "w") as handle:
        handle.write("secret")
    paths = [str(ROOT / "solutions"), str(ROOT / "solutions" / "lab2_binary_classification.py"),
             str(ROOT / "source"), other_run, "/etc/shadow", "/run", "/sys", "/home", "/root"]
    try:
        with StudentProcess([{"id": "probe", "source": JAIL_PROBE}], ["probe"]) as p:
            assert p.isolated
            seen = p.call("probe", [paths, shm_name]).value
    finally:
        shutil.rmtree(other_run, ignore_errors=True)
    assert seen["uid"] == (65534 if isolation.real_root() else 0) and seen["pid"] == 1
    assert seen["procs"] == ["1"]                          # its own PID namespace: nothing else to see or signal
    for path in paths[:4]:
        assert seen[path] == "FileNotFoundError", (path, seen[path])
    assert seen["/etc/shadow"] == "PermissionError"
    for folder in ("/run", "/sys", "/home", "/root"):     # nothing, or only the way to Python
        expected = jail_listing(folder)
        assert expected is None or seen[folder] == expected, (folder, seen[folder], expected)
    assert seen["network"] != "connected"
    for target in ("/probe_file", "/proc/sys/kernel/hostname", "/etc/probe"):
        assert seen[target] != "written", target
    assert seen["caps"] == ["0000000000000000"] * 3 and seen["no_new_privs"] == "1"
    assert seen["tmp"] != "unbounded"
    assert not os.path.exists("/dev/shm/" + shm_name)     # its /dev/shm was its own


def test_the_network_probe_fails_without_the_jail():
    """The jail test above is not vacuous: the same probe, unjailed, sees the course."""
    with StudentProcess([{"id": "probe", "source": JAIL_PROBE}], ["probe"], isolation="off") as p:
        assert not p.isolated
        shm_name = f"nnlabs-unjailed-probe-{os.getpid()}"
        try:
            seen = p.call("probe", [[str(ROOT / "source")], shm_name]).value
            assert os.path.exists("/dev/shm/" + shm_name)      # unjailed, /dev/shm is the machine's
        finally:
            if os.path.exists("/dev/shm/" + shm_name):
                os.unlink("/dev/shm/" + shm_name)
    assert seen[str(ROOT / "source")] != "FileNotFoundError" and seen["pid"] != 1


TREE = '''
import os, time, numpy as np
def grandchild():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(120)
        os._exit(0)
    return 1
def hog():
    """Six children of 400 MB each: the most that held their memory at the same time, and
    how the others ended (one that held it may still be the one the OOM killer picks)."""
    import select, struct
    r, w = os.pipe()
    kids = []
    for _ in range(6):
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                hold = np.ones(50_000_000)
            except MemoryError:
                os._exit(3)
            os.write(w, struct.pack("i", os.getpid()))
            time.sleep(60)
            os._exit(0)
        kids.append(pid)
    os.close(w)
    holders, ended, peak, deadline = set(), {}, 0, time.time() + 20
    while len(holders | set(ended)) < 6 and time.time() < deadline:
        if select.select([r], [], [], 0.1)[0]:
            data = os.read(r, 64)
            holders.update(struct.unpack(f"{len(data) // 4}i", data[:len(data) // 4 * 4]))
        for k in kids:
            if k not in ended:
                done, status = os.waitpid(k, os.WNOHANG)
                if done:
                    ended[k] = status
        peak = max(peak, len(holders - set(ended)))
    return [peak, sorted(ended.values())]
def bomb():
    children = []
    for _ in range(200):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        children.append(pid)
    return len(children)
'''


def alive(pids) -> list:
    out = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as handle:
                if any(line.split()[1:2] == ["65534"] for line in handle if line.startswith("Uid:")):
                    out.append(pid)
        except OSError:
            pass
    return out


@pytest.mark.skipif(not isolation.real_root(), reason="the tree is seen through its cgroup")
def test_no_process_of_a_submission_outlives_it():
    with StudentProcess([{"id": "t", "source": TREE}], ["grandchild"]) as p:
        assert p.call("grandchild").value == 1
        time.sleep(0.2)
        tree = p.group.pids()
        cgroups = list(p.group.paths)
        assert len(alive(tree)) == 1          # PID 1 only: the grandchild in its own session ended with the call
    time.sleep(0.2)
    assert not alive(tree) and not any(os.path.exists(c) for c in cgroups)


def test_memory_and_processes_are_limits_of_the_whole_tree():
    limits = dict(memory_bytes=1 << 30, processes=8, call_seconds=30)
    with StudentProcess([{"id": "t", "source": TREE}], ["hog", "bomb"], limits=Limits(**limits)) as p:
        holding, ended = p.call("hog").value
        # the six children together may not hold 2.4 GB: at most two hold 400 MB at once
        assert holding <= 2 and len(ended) >= 4, (holding, ended)
        assert p.call("bomb").value < 8


def test_a_slow_notebook_stops_at_its_time_budget():
    from autograder.judging.judge import judge
    from autograder.labs import get_lab
    lab = get_lab("lab2_binary_classification")
    cells = [{"id": f, "source": f"import time\ndef {f}(*args, **kwargs):\n    time.sleep(0.4)\n"}
             for f in lab.functions]
    with StudentProcess(cells, lab.functions, limits=Limits(call_seconds=5, notebook_seconds=2)) as p:
        report = judge(lab, p, hidden=False)
    budget = [c for c in report.checks if c.kind == "out_of_budget"]
    assert budget and len(budget) > len(report.checks) // 2
    assert not report.flags                    # slow code is an honest mistake


def test_without_namespaces_grading_refuses_and_a_self_check_says_so(monkeypatch):
    monkeypatch.setattr(isolation, "unavailable_reason", lambda: "no namespaces on this machine")
    with pytest.raises(isolation.IsolationUnavailable, match="no namespaces"):
        StudentProcess(CELLS, FUNCTIONS).start()
    with StudentProcess(CELLS, FUNCTIONS, isolation="prefer") as p:
        assert not p.isolated and "no namespaces" in p.note
        assert p.call("double", [2]).value == 4


def folders_python_needs(*more) -> list:
    """Every folder a judge of this Python reads, wherever it is installed (a home folder,
    /usr, /opt, /tmp...), as real paths and none inside another: the system folders and the
    installation the jail binds (`isolation._python_binds`), the interpreter's own folder,
    the checkout, the tools the tests' shell scripts run, and `more`."""
    binds, links = isolation._python_binds()
    tools = (shutil.which(name) for name in ("sh", "bash", "mkdir", "mount", "setpriv"))
    folders = set()
    for path in filter(None, (*binds, *(link for link, _ in links), sys.executable, ROOT, *tools, *more)):
        real = os.path.realpath(path)
        folders.add(real if os.path.isdir(real) else os.path.dirname(real))
    return sorted(f for f in folders if not any(f.startswith(other + "/") for other in folders))


def closed_folders(keep) -> list:
    """The outermost folders on the way to those of `keep` that other users may not pass
    through (root's home folder, of mode 700, where pyenv puts Python): none for a Python in /usr."""
    closed = set()
    for folder in keep:
        parts = folder.strip("/").split("/")
        for depth in range(1, len(parts)):
            up = "/" + "/".join(parts[:depth])
            if not os.stat(up).st_mode & 0o001:
                closed.add(up)
                break
    return sorted(c for c in closed if not any(c.startswith(other + "/") for other in closed))


def cover(folder, keep, mode) -> str:
    """Shell lines, for a private mount namespace: an empty tmpfs of this mode over `folder`,
    and in it the folders of `keep` that lie inside, bound back from the folder beneath (the
    working folder while the tmpfs is laid: relative paths still lead there), so that nothing
    this Python needs is hidden. The mkdir and mount it runs must lie outside `folder`."""
    mkdir, mount = (os.path.realpath(shutil.which(name)) for name in ("mkdir", "mount"))
    assert not any(tool.startswith(folder + "/") for tool in (mkdir, mount)), (folder, mkdir, mount)
    quoted = shlex.quote(folder)
    lines = [f"cd {quoted}", f"{mount} -t tmpfs -o mode={mode:o} tmpfs {quoted}"]
    for inside in (k for k in keep if k.startswith(folder + "/")):
        lines.append(f"(umask 022 && {mkdir} -p {shlex.quote(inside)}) && {mount} --no-canonicalize --rbind "
                     f"{shlex.quote(os.path.relpath(inside, folder))} {shlex.quote(inside)}")
    return "\n".join(lines + ["cd /"])


@pytest.mark.skipif(not isolation.real_root() or not shutil.which("setpriv"), reason="needs root to become another user")
def test_an_instructor_who_is_not_root_gets_a_user_namespace_jail():
    """The judge as uid 1000: the student process runs in a user namespace of its own, may
    not fork at all (no cgroup to count its tree), and still sees nothing of the course."""
    from pathlib import Path
    tmp_path = Path(tempfile.mkdtemp(prefix="nnlabs-as-user-"))
    script = tmp_path / "probe.py"
    script.write_text(f'''
import json, sys
sys.path.insert(0, {str(ROOT)!r})
from autograder.sandbox.student_process import StudentProcess
cells = [{{"id": "p", "source": {JAIL_PROBE!r} + {TREE!r}}}]
with StudentProcess(cells, ["probe", "bomb"]) as p:
    seen = p.call("probe", [[{str(ROOT / "solutions")!r}, "/etc/shadow"]]).value
    bomb = p.call("bomb")
print(json.dumps({{"isolated": p.isolated, "seen": seen, "bomb": bomb.value,
                  "error": bomb.error and bomb.error.type}}))
''')
    os.chmod(tmp_path, 0o755)
    # uid 1000 must reach this Python, the checkout and the script: a folder on the way that
    # only root may pass through (root's home, where pyenv installs) gives way to a tmpfs
    # holding only those; a Python in /usr needs none
    keep = folders_python_needs(tmp_path)
    setpriv = os.path.realpath(shutil.which("setpriv"))
    as_user = "\n".join(["set -e", *(cover(folder, keep, 0o755) for folder in closed_folders(keep)),
                         f"cd {shlex.quote(str(tmp_path))}",
                         f'exec {setpriv} --reuid=1000 --regid=1000 --clear-groups "$@"'])
    result = subprocess.run(["unshare", "--mount", "--pid", "--fork", "--kill-child", "--propagation", "private",
                             "bash", "-c", as_user, "bash", sys.executable, str(script)],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    shutil.rmtree(tmp_path, ignore_errors=True)
    assert result.returncode == 0, result.stderr[-3000:]
    out = __import__("json").loads(result.stdout.strip().splitlines()[-1])
    assert out["isolated"]
    assert out["seen"][str(ROOT / "solutions")] == "FileNotFoundError"
    assert out["seen"]["/etc/shadow"] == "PermissionError"
    assert out["seen"]["caps"] == ["0000000000000000"] * 3
    assert out["bomb"] == 0 or out["error"] == "BlockingIOError"     # no process can be started


@pytest.mark.skipif(not isolation.real_root(), reason="only root runs student code as another user")
def test_a_python_installation_nobody_can_read_is_refused_with_the_reason(tmp_path):
    closed = tmp_path / "venv"
    (closed / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    closed.chmod(0o700)
    assert isolation.unreadable_by_others([str(closed)]) == [str(closed)]
    assert isolation.unreadable_by_others(isolation._python_binds()[0]) == []    # this Python, wherever it is


def test_a_python_environment_under_tmp_stays_visible_in_the_jail(monkeypatch):
    """A checkout (and its virtual environment) may live under /tmp, as a CI clone does: the
    jail's private /tmp must not cover it."""
    folder = tempfile.mkdtemp(prefix="nnlabs-env-under-tmp-")
    os.chmod(folder, 0o755)
    with open(os.path.join(folder, "marker.py"), "w") as handle:
        handle.write("VALUE = 42\n")
    os.chmod(os.path.join(folder, "marker.py"), 0o644)
    binds, links = isolation._python_binds()
    monkeypatch.setattr(isolation, "_python_binds", lambda: ((*binds, folder), links))
    cells = [{"id": "m", "source": f"def read():\n    return open({folder + '/marker.py'!r}).read()\n"}]
    try:
        with StudentProcess(cells, ["read"]) as p:
            assert p.isolated and p.call("read").value == "VALUE = 42\n"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_zygote_preloads_only_the_numeric_libraries_a_submission_imports():
    from autograder.sandbox.zygote import imported_modules
    source = ("import numpy as np\nfrom scipy.special import expit\n"
              "def f(y, p):\n    from sklearn.metrics import log_loss, accuracy_score\n    import os, json\n"
              "    return log_loss(y, p)\nfrom . import sibling\n# import antigravity\n")
    assert imported_modules([source, "x = 1"]) == ["numpy", "scipy.special", "sklearn.metrics"]
    source = source.replace("from . import sibling\n", "")
    cells = [{"id": "first", "source": "import sys\n"      # before any import statement of the submission runs
              "before = ['scipy.special' in sys.modules, 'antigravity' in sys.modules]\n"
              "def loaded():\n    return before\n"},
             {"id": "a", "source": source + "def draw():\n    return float(np.random.rand())\n"}]
    numpy_only = [{"id": "first", "source": "import sys\nbefore = ['scipy' in sys.modules, 'sklearn' in sys.modules]\n"
                   "def loaded():\n    return before\n"}, {"id": "a", "source": "import numpy as np\n"}]
    with StudentProcess(cells, ["loaded", "draw"]) as first, StudentProcess(cells, ["loaded", "draw"]) as second, \
            StudentProcess(numpy_only, ["loaded"]) as lean:
        assert first.call("loaded").value == [True, False]
        # numpy's global random state is the student process's own, not one the zygote seeded for all
        assert first.call("draw").value != second.call("draw").value
        # the libraries live in a zygote of their own: a submission that does not import
        # them starts (and ends) without their weight
        assert lean.call("loaded").value == [False, False]
    from autograder.sandbox.zygote import Zygote
    assert {"scipy.special", "sklearn.metrics"} <= Zygote.shared(libraries=True).preloaded
    assert not {"scipy.special", "sklearn.metrics"} & Zygote.shared().preloaded


def test_the_zygote_imports_nothing_outside_numpy_scipy_and_sklearn():
    from autograder.sandbox.zygote import Zygote
    zygote = Zygote.shared()
    reply = zygote._ask({"op": "preload", "modules": ["antigravity", "os.path", "numpy.linalg", "sklearn.no_such",
                                                      "scipy.special; import os", 7]})
    assert reply["loaded"] == ["numpy.linalg"]


# -- how student processes start: a zygote forked from the judge, a process started ahead --
ZYGOTE_PROBE = r'''
import json, os, sys
os.environ["NNLABS_JUDGE_ONLY"] = "a value of the judge's environment"
mode = sys.argv[1]
if mode == "lab loaded":
    import autograder.labs  # noqa: F401
from autograder.sandbox.zygote import Zygote
zygote = Zygote.shared(fork=mode != "started")
from autograder.sandbox.student_process import StudentProcess
PROBE = """
def probe():
    import importlib, os, sys
    reachable = []
    for name in ("autograder", "solutions"):
        try:
            importlib.import_module(name)
            reachable.append(name)
        except ImportError:
            pass
    return {"environment": sorted(os.environ.items()), "descriptors": len(os.listdir("/proc/self/fd")),
            "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("autograder", "solutions")),
            "reachable": reachable, "cwd": os.getcwd(), "uid": os.getuid()}
"""
with StudentProcess([{"id": "probe", "source": PROBE}], ["probe"]) as p:
    started = open(f"/proc/{zygote.proc.pid}/cmdline").read() != open("/proc/self/cmdline").read()
    print(json.dumps({"started": started, "isolated": p.isolated, "probe": p.call("probe").value}))
'''


def test_a_zygote_forked_from_the_judge_gives_student_code_what_a_started_one_does():
    """`nnlabs check` forks its zygote once numpy is imported, before any lab is loaded; the
    student process it gives sees the same environment, descriptors and modules as one from
    a zygote started afresh (none of the judge's), and where a lab is loaded already the
    zygote is started afresh instead."""
    seen = {}
    for mode in ("forked", "started", "lab loaded"):
        result = run([sys.executable, "-c", ZYGOTE_PROBE, mode])
        assert result.returncode == 0, result.stderr
        seen[mode] = json.loads(result.stdout)
    assert [seen[mode]["started"] for mode in seen] == [False, True, True]
    assert all(seen[mode]["isolated"] for mode in seen)
    assert seen["forked"]["probe"] == seen["started"]["probe"] == seen["lab loaded"]["probe"]
    probe = seen["forked"]["probe"]
    assert "NNLABS_JUDGE_ONLY" not in dict(probe["environment"])
    assert probe["modules"] == probe["reachable"] == []


def spare_processes():
    from autograder.sandbox import student_process
    return student_process._SPARES.get(os.getpid())


def test_a_student_process_started_ahead_is_taken_once_by_the_next_one_started_the_same_way():
    from autograder.sandbox import student_process
    from autograder.sandbox.zygote import Zygote
    student_process.prepare()
    launcher = spare_processes().proc.pid
    with StudentProcess(CELLS, FUNCTIONS) as taken, StudentProcess(CELLS, FUNCTIONS) as fresh:
        assert taken.proc.pid == launcher and fresh.proc.pid != launcher
        assert spare_processes() is None and taken.isolated and taken.call("double", [1.0]).value == 2.0
    # started with other limits, before its zygote imported what the cells import, or from the
    # zygote without the libraries the cells import: not taken, and ended
    new_numpy = next(name for name in ("numpy.polynomial", "numpy.fft", "numpy.ma", "numpy.lib.recfunctions")
                     if name not in Zygote.shared().preloaded)
    for settings, cells in (({"limits": Limits(call_seconds=3)}, CELLS),
                            ({}, [{"id": "i", "source": f"import {new_numpy}\n" + CELLS[0]["source"]}]),
                            ({}, [{"id": "i", "source": "import scipy.special\n" + CELLS[0]["source"]}])):
        student_process.prepare(**settings)
        spare = spare_processes()
        launcher, cgroups, scratch = spare.proc.pid, list(spare.group.paths if spare.group else []), spare.scratch
        with StudentProcess(cells, FUNCTIONS) as p:
            assert p.proc.pid != launcher and p.call("double", [1.0]).value == 2.0
        assert not any(os.path.exists(path) for path in cgroups) and not os.path.exists(scratch)


def test_a_process_judging_notebook_after_notebook_keeps_one_spare_and_ends_it():
    from autograder.sandbox import student_process
    with StudentProcess(CELLS, FUNCTIONS, spare=True) as first:
        spare = spare_processes()
        launcher = spare.proc.pid
        assert launcher != first.proc.pid
    with StudentProcess(CELLS, FUNCTIONS, spare=True) as second:
        assert second.proc.pid == launcher and spare_processes() not in (None, spare)
    last = spare_processes()
    cgroups, scratch = list(last.group.paths if last.group else []), last.scratch
    student_process.discard_spare()
    assert spare_processes() is None and not os.path.exists(scratch)
    assert not any(os.path.exists(path) for path in cgroups)


SPARE_AT_EXIT = r'''
import json, multiprocessing, os, sys
from autograder.sandbox.student_process import StudentProcess

def judge(queue):
    with StudentProcess([{"id": "f", "source": "def f():\n    return 1\n"}], ["f"], spare=True) as p:
        p.call("f")
    from autograder.sandbox.student_process import _SPARES
    queue.put(_SPARES[os.getpid()].scratch)

if sys.argv[1] == "worker":
    queue = multiprocessing.get_context("fork").Queue()
    worker = multiprocessing.get_context("fork").Process(target=judge, args=(queue,))
    worker.start()
    scratch = queue.get(timeout=60)
    worker.join(60)
    print(json.dumps({"pid": worker.pid, "scratch": scratch}))
else:
    class Queue:
        def put(self, scratch):
            print(json.dumps({"pid": os.getpid(), "scratch": scratch}))
    judge(Queue())
'''


@pytest.mark.skipif(not isolation.real_root(), reason="the spare's cgroup is made by root")
def test_no_spare_outlives_the_process_that_started_it(tmp_path):
    """Nothing of a spare student process is left once the process that started it ends: a
    grading worker, a plain grading process, and `nnlabs check` on a file it cannot use."""
    import glob
    for how in ("worker", "process"):
        result = run([sys.executable, "-c", SPARE_AT_EXIT, how])
        assert result.returncode == 0, result.stderr
        left = json.loads(result.stdout)
        assert os.path.basename(left["scratch"]).startswith("nnlabs-student-")
        assert not os.path.exists(left["scratch"]), how
        assert not glob.glob(f"/sys/fs/cgroup/*/nnlabs-{left['pid']}-*"), how
    text = tmp_path / "notes.ipynb"
    text.write_text("not a notebook")
    check = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "nnlabs"), "check", str(text)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check.communicate(timeout=60)
    assert check.returncode == 2
    assert not glob.glob(f"/sys/fs/cgroup/*/nnlabs-{check.pid}-*")
