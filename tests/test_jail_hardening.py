"""What the red team found, and what now stops it.

- The jail's seccomp filter (`jail.restrict_syscalls`): every student process of a root
  judge runs as nobody, and all of them share that uid's kernel keyring, which no namespace
  covers - a submission stored data there (`add_key`) for a later one to read. Such calls
  (the keyring, ptrace, namespaces, signals...) now end the student process with SIGSYS.
- The zygote (`child.zygote`, not jailed) imports only the exact modules of
  `zygote.PRELOADABLE`, with HOME, TMPDIR and the cache folders pointing nowhere, and a
  student process inherits none of its file descriptors: test modules a submission named
  used to leave folders in the host's /tmp, and sockets and files open in every later
  student process.

Every test here that forks or signals does so in a student process's own PID namespace, or
in a PID namespace of its own (`unshare --pid --fork --kill-child`).
"""
import contextlib
import ctypes
import importlib.util
import json
import os
import platform
import shlex
import shutil
import signal
import socket
import subprocess
import sys

import pytest

from autograder.sandbox import isolation, zygote
from autograder.sandbox.student_process import CRASHED, StudentProcess

from conftest import ROOT
from test_sandbox import cover, folders_python_needs

NOBODY = 65534
KEY = "nnlabs-test"


def _syscall_numbers(*names) -> dict:
    """This machine's numbers of these system calls (libseccomp knows every architecture's)."""
    try:
        resolve = ctypes.CDLL("libseccomp.so.2").seccomp_syscall_resolve_name
    except OSError:         # no jail at all then: the tests of test_sandbox.py say so
        pytest.skip("libseccomp is not installed", allow_module_level=True)
    resolve.argtypes, resolve.restype = [ctypes.c_char_p], ctypes.c_int
    return {name: resolve(name.encode()) for name in names}


NR = _syscall_numbers("add_key", "keyctl", "unshare", "ptrace", "clone", "clone3")

REFUSED = f'''
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def add_key():          # into the user keyring (KEY_SPEC_USER_KEYRING), which every nobody shares
    return libc.syscall({NR["add_key"]}, b"user", {KEY.encode()!r}, b"x", 1, -4)
def keyctl():           # KEYCTL_GET_KEYRING_ID of that keyring
    return libc.syscall({NR["keyctl"]}, 0, -4, 0)
def unshare():          # CLONE_NEWNS
    return libc.syscall({NR["unshare"]}, 0x20000)
def ptrace():           # PTRACE_TRACEME
    return libc.syscall({NR["ptrace"]}, 0, 0, 0, 0)
def kill():
    os.kill(os.getpid(), 0)
    return 0
def clone_namespace():  # a fork into a new user namespace (CLONE_NEWUSER | SIGCHLD)
    pid = libc.syscall({NR["clone"]}, 0x10000000 | 17, 0, 0, 0, 0)
    if pid == 0:
        os._exit(0)
    return pid
def x32_abi():          # getpid of x86_64's other ABI, which a filter for x86_64 alone would not see
    return libc.syscall(0x40000000 | 39)
'''

NORMAL = f'''
import ctypes, os, threading
def normal(fork):
    import numpy as np
    import scipy.special
    import sklearn.datasets
    import sklearn.metrics
    squares = []
    threads = [threading.Thread(target=lambda i=i: squares.append(i * i)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    a = np.random.default_rng(0).standard_normal((1000, 1000))
    product = a @ a.T
    x, y = sklearn.datasets.make_classification(n_samples=60, random_state=0)
    libc = ctypes.CDLL(None, use_errno=True)
    clone3 = [libc.syscall({NR["clone3"]}, None, 0), ctypes.get_errno()]
    child = None
    if fork:
        pid = os.fork()
        if pid == 0:
            os._exit(5)
        child = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    with open("/proc/self/status") as handle:
        status = dict(line.rstrip("\\n").split(":\\t", 1) for line in handle if ":\\t" in line)
    return {{"squares": sorted(squares), "symmetric": bool(np.allclose(product, product.T)),
            "expit": float(scipy.special.expit(0.0)), "accuracy": float(sklearn.metrics.accuracy_score(y, y)),
            "clone3": clone3, "child": child, "seccomp": status.get("Seccomp")}}
'''

DESCRIPTORS = '''
def descriptors():
    import os
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            found.append([int(name), os.readlink("/proc/self/fd/" + name)])
        except OSError:
            pass                        # the listing's own descriptor, closed by now
    return sorted(found)
'''


def key_users() -> dict:
    """uid -> "usage nkeys/nikeys qnkeys/maxkeys qnbytes/maxbytes" (/proc/key-users)."""
    try:
        with open("/proc/key-users") as handle:
            return {int(uid): rest.strip() for uid, _, rest in (line.partition(":") for line in handle)}
    except OSError:
        return {}


def remove_test_key() -> bool:
    """As nobody: find the test's key in nobody's user keyring, and if it is there, remove it
    (a run without the filter would leave it for every later student process)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setresgid(NOBODY, NOBODY, NOBODY)
            os.setresuid(NOBODY, NOBODY, NOBODY)
            serial = libc.syscall(NR["keyctl"], 10, -4, b"user", KEY.encode(), 0)     # KEYCTL_SEARCH
            if serial > 0:
                libc.syscall(NR["keyctl"], 21, serial)                              # KEYCTL_INVALIDATE
            os._exit(1 if serial > 0 else 0)
        finally:
            os._exit(2)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 1


# -- the seccomp filter ------------------------------------------------------------------------
@pytest.mark.parametrize("function", ["add_key", "keyctl", "unshare", "ptrace", "kill", "clone_namespace", "x32_abi"])
def test_a_refused_system_call_ends_the_student_process_with_sigsys(function):
    if function == "x32_abi" and platform.machine() != "x86_64":
        pytest.skip("x32 is an ABI of x86_64")
    before = key_users()
    try:
        with StudentProcess([{"id": "r", "source": REFUSED}], [function]) as p:
            assert p.isolated
            launcher = p.proc                   # a zygote.Launcher: the student process's end is its own
            result = p.call(function)
            assert result.value is None and result.failure_kind == CRASHED, result
            assert launcher.returncode == -signal.SIGSYS, launcher.returncode
            assert p.call(function).failure_kind == CRASHED     # the process restarts, and is refused again
        if isolation.real_root():
            assert key_users().get(NOBODY) == before.get(NOBODY)   # no key (and no keyring) was made for nobody
    finally:
        left = isolation.real_root() and remove_test_key()     # never left for a later student process
    assert not left


def test_student_code_still_runs_threads_numpy_scipy_and_sklearn():
    cells = [{"id": "n", "source": NORMAL}]
    with StudentProcess(cells, ["normal"]) as p:
        assert p.isolated
        seen = p.call("normal", [isolation.real_root()]).value     # only a root judge lets a submission fork
    assert seen["squares"] == [0, 1, 4, 9] and seen["symmetric"]
    assert seen["expit"] == 0.5 and seen["accuracy"] == 1.0
    assert seen["clone3"] == [-1, 38]           # ENOSYS: glibc then uses clone, as the threads above did
    assert seen["child"] == (5 if isolation.real_root() else None)
    assert seen["seccomp"] == "2"               # SECCOMP_MODE_FILTER


def test_without_libseccomp_the_jail_refuses_to_start():
    spec = importlib.util.spec_from_file_location("_nnlabs_jail_test", zygote.JAIL)
    jail = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(jail)
    lib, why = jail._load_libseccomp("libnnlabs-no-such-seccomp.so.2")
    assert lib is None and "libnnlabs-no-such-seccomp.so.2" in why
    jail._seccomp, jail._seccomp_missing = lib, why
    with pytest.raises(jail.JailError, match="no seccomp filter"):
        jail.enter({})                          # refused before anything is built


@contextlib.contextmanager
def own_zygote(monkeypatch, *, extra_fds=(), jail=None):
    """A zygote of this test's own, holding `extra_fds` open (as though something it imported
    had opened them) and loading `jail` instead of jail.py; student processes are forked from it."""
    real_popen = subprocess.Popen

    def popen(args, **kwargs):
        kwargs["pass_fds"] = (*kwargs.get("pass_fds", ()), *extra_fds)
        return real_popen(args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(subprocess, "Popen", popen)
        if jail:
            patch.setattr(zygote, "JAIL", jail)
        own = zygote.Zygote()
    monkeypatch.setattr(zygote.Zygote, "for_cells", classmethod(lambda cls, sources: (own, [])))
    try:
        yield own
    finally:
        own.socket.close()                      # the zygote ends when the judge's end of it closes
        own.proc.wait(timeout=10)


def test_a_jail_without_its_filter_is_no_jail(monkeypatch, tmp_path):
    broken = tmp_path / "jail.py"
    broken.write_text(zygote.JAIL.read_text().replace('LIBSECCOMP = "libseccomp.so.2"',
                                                      'LIBSECCOMP = "libnnlabs-no-such-seccomp.so.2"'))
    cells = [{"id": "f", "source": "def f():\n    return 1\n"}]
    with own_zygote(monkeypatch, jail=broken):
        with pytest.raises(isolation.IsolationUnavailable, match="seccomp"):
            StudentProcess(cells, ["f"]).start()
        with StudentProcess(cells, ["f"], isolation="prefer") as p:     # a student's own self-check
            assert not p.isolated and "seccomp" in p.note
            assert p.call("f").value == 1


# -- the zygote ---------------------------------------------------------------------------------
TESTING = ["sklearn.utils._testing", "scipy._lib._testutils", "numpy.testing",
           # these leave folders in TMPDIR and HOME, threads and sockets when imported
           "sklearn.callback.tests.test_callback_support", "scipy.cluster.tests.test_hierarchy",
           "sklearn.cluster.tests.test_hierarchical"]


def test_the_zygote_imports_only_its_allowlist():
    source = "".join(f"import {name}\n" for name in TESTING) + "from sklearn.datasets import load_iris\n"
    # a module outside the list stands for the longest of its packages on it
    assert zygote.imported_modules([source]) == ["sklearn.utils", "scipy", "numpy", "sklearn", "sklearn.datasets"]
    own = zygote.Zygote.shared(libraries=True)
    assert own.preload(TESTING) == []           # not even asked
    # and the zygote itself refuses them, whoever asks
    assert own._ask({"op": "preload", "modules": TESTING + ["os", "sklearn.datasets"]})["loaded"] == \
        ["sklearn.datasets"]
    assert set(zygote.PRELOADABLE) >= {"numpy", "numpy.random", "scipy.special", "sklearn.metrics"}
    assert not [name for name in zygote.PRELOADABLE if "test" in name]


NOTHING_LEFT = r'''
import json, os, sys
sys.path.insert(0, sys.argv[1])
from autograder.sandbox import zygote
from autograder.sandbox.student_process import StudentProcess

def listing():
    return {folder: sorted(os.listdir(folder)) for folder in ("/tmp", "/dev/shm")}

before = listing()
names = json.loads(sys.argv[2])
cells = [{"id": "n", "source": "import sklearn.datasets\ndef never_called():\n"
          + "".join(f"    import {name}\n" for name in names) + "    return 0\n"
          + "def rows():\n    return len(sklearn.datasets.load_iris().data)\n"}]
with StudentProcess(cells, ["rows"]) as p:
    rows = p.call("rows").value
# a module that writes its configuration folder when imported (into HOME, or TMPDIR if it
# cannot): matplotlib, in a zygote whose allowlist has it
zygote.PRELOADABLE = zygote.PRELOADABLE + ("matplotlib",)
own = zygote.Zygote()
matplotlib = own.preload(["matplotlib"])
own.socket.close()
own.proc.wait(timeout=10)
print(json.dumps({"before": before, "after": listing(), "rows": rows, "matplotlib": matplotlib}))
'''


@pytest.mark.skipif(not isolation.real_root() or not shutil.which("unshare"), reason="needs root for a private /tmp")
def test_a_submission_naming_test_modules_leaves_nothing_in_the_hosts_tmp():
    """The judge, in a mount namespace with a /tmp and a /dev/shm of its own (so nothing else
    of the machine writes there meanwhile): after a submission that names testing modules,
    and a zygote that imports matplotlib, both hold only what they held before."""
    keep = folders_python_needs()          # what lies in /tmp of them (a checkout, an environment) stays
    script = "\n".join(["set -e", cover("/tmp", keep, 0o1777), cover("/dev/shm", keep, 0o1777),
                        f"cd {shlex.quote(str(ROOT))}", 'exec "$@"'])
    result = subprocess.run(["unshare", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
                             "--propagation", "private", "sh", "-c", script, "sh",
                             sys.executable, "-c", NOTHING_LEFT, str(ROOT), json.dumps(TESTING + ["sklearn.datasets"])],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["rows"] == 150
    assert seen["after"] == seen["before"], seen


def test_a_student_process_holds_no_descriptor_of_the_zygote(monkeypatch):
    cells = [{"id": "d", "source": DESCRIPTORS}]

    def only_its_own(found):
        """0, 1 and 2, then what the judge handed: the channel's two pipes (and the memory a
        call's arguments are written into, where the judge hands one)."""
        others = [target for fd, target in found if fd > 2]
        assert [fd for fd, _ in found][:3] == [0, 1, 2], found
        assert sum(t.startswith("pipe:") for t in others) == 2, found
        assert all(t.startswith(("pipe:", "/memfd:nnlabs-")) for t in others), found

    with StudentProcess(cells, ["descriptors"]) as p:
        only_its_own(p.call("descriptors").value)
    marker = os.open("/etc/hostname", os.O_RDONLY)
    ours, theirs = socket.socketpair()
    try:
        with own_zygote(monkeypatch, extra_fds=(marker, theirs.fileno())) as own:
            held = {os.readlink(f"/proc/{own.proc.pid}/fd/{fd}") for fd in (marker, theirs.fileno())}
            assert "/etc/hostname" in held                 # the zygote holds them ...
            with StudentProcess(cells, ["descriptors"]) as p:
                only_its_own(p.call("descriptors").value)   # ... its student processes do not
            # a descriptor handed with a request that takes none is not kept either
            stray = os.open("/etc/hostname", os.O_RDONLY)
            try:
                own._ask({"op": "preload", "modules": []}, fds=[stray])
            finally:
                os.close(stray)
            folder = f"/proc/{own.proc.pid}/fd"
            targets = [os.readlink(f"{folder}/{fd}") for fd in os.listdir(folder)]
            assert targets.count("/etc/hostname") == 1, targets
    finally:
        os.close(marker)
        ours.close()
        theirs.close()
