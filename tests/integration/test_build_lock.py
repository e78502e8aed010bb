"""dbt builds are serialised on a warehouse: a second build waits for the first."""

import threading

from contact_platform.warehouse.lock import exclusive


def test_a_second_build_waits_for_the_first(warehouse_url: str):
    second_started = threading.Event()

    def second_build() -> None:
        with exclusive(warehouse_url):
            second_started.set()

    with exclusive(warehouse_url):
        thread = threading.Thread(target=second_build)
        thread.start()
        assert not second_started.wait(1.0), "the second build ran while the first held the lock"
    assert second_started.wait(30), "the second build never ran after the first finished"
    thread.join()


def test_other_locks_do_not_wait(warehouse_url: str):
    with exclusive(warehouse_url), exclusive(warehouse_url, "another"):
        pass
