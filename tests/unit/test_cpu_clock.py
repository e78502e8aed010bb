import subprocess
import sys
import time

from contact_platform.operations.cpu_clock import read_cpu


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_cpu_of_this_process_and_of_its_waited_children_is_counted():
    start = read_cpu(postmaster_pid=None)
    _burn(0.2)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass",
        ],
        check=True,
    )
    used = read_cpu(postmaster_pid=None).since(start)
    assert used.python_seconds >= 0.4  # 0.2 here, 0.3 in the child
    assert used.postgres_seconds == 0
    assert 0 <= used.steal_share < 1
