"""bench/cpu_use.py, which says where the CPU of a load run went (issue 18's load test shares the
server's cores with its load generator): the groups, the CPU per request and the ceiling it implies."""

import importlib.util
import os
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "cpu_use.py"


@pytest.fixture(scope="module")
def cpu_use():
    spec = importlib.util.spec_from_file_location("cpu_use", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seconds_are_grouped_by_command_and_a_reused_pid_starts_again(cpu_use):
    # (command, own seconds, seconds of its children that ended) by pid.
    before = {
        "9": ("gunicorn", 1.0, 0.0),  # the master
        "10": ("gunicorn", 5.0, 0.0),
        "11": ("postgres", 2.0, 1.0),
        "12": ("gunicorn", 1.0, 0.0),
        "13": ("bash", 1.0, 3.0),
        "15": ("postgres", 4.0, 0.0),  # a backend that ends in the run, after 2 s more (in "11" below)
    }
    after = {
        "9": ("gunicorn", 1.0, 1.5),  # worker "12" ended after 0.5 s more: 1.5 s in all
        "10": ("gunicorn", 35.0, 0.0),  # a worker: 30 s in the run
        "11": ("postgres", 6.0, 14.0),  # the postmaster: 4 s, and 13 s of backends that ended (6 of "15")
        "12": ("python3", 0.5, 0.0),  # the ended worker's pid, reused: 0.5 s of "other" since
        "14": ("postgres", 1.5, 0.0),  # a backend opened during the run
        "13": ("bash", 2.0, 40.0),  # the caller: its ended children (locust) are measured apart
    }
    # gunicorn: 30 ("10") + 1.5 ended − 1 that "12" had used before; postgres: 4 (the postmaster)
    # + 13 ended − 4 that "15" had used before + 1.5 ("14").
    assert cpu_use.used(before, after) == {"gunicorn": 30.5, "postgres": 14.5, "other": 1.5}


def test_the_report_gives_cpu_per_request_and_the_ceiling(cpu_use, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    before = {"1": ("gunicorn", 0.0, 0.0), "2": ("postgres", 0.0, 0.0), "3": ("kworker", 0.0, 0.0)}
    after = {"1": ("gunicorn", 60.0, 0.0), "2": ("postgres", 2.0, 10.0), "3": ("kworker", 2.0, 0.0)}
    text = cpu_use.report(before, after, seconds=50.0, requests=2400, generator_seconds=10.0)
    assert "100 core-seconds" in text
    assert "app server 25.0 ms, PostgreSQL 5.0 ms" in text
    # (100 − 10 load generator − 2 other) core-seconds / 50 s / 30 ms per request ≈ 59 a second.
    assert "at most ~59 requests/s" in text
    assert "this run: 48.0 requests/s" in text


def test_requests_are_read_from_locusts_aggregated_row(cpu_use, tmp_path):
    stats = tmp_path / "u50_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count\nGET,/my/,120,0\n,Aggregated,2802,0\n", encoding="utf-8"
    )
    assert cpu_use.requests_in(stats) == 2802
    assert cpu_use.requests_in(tmp_path / "missing.csv") == 0


def test_a_snapshot_sees_this_process(cpu_use):
    if not Path("/proc/self/stat").exists():
        pytest.skip("reads /proc (Linux)")
    command, own, ended_children = cpu_use.snapshot()[str(os.getpid())]
    assert command and own >= 0 and ended_children >= 0


def test_the_load_generators_seconds_are_read_from_bashs_times(cpu_use):
    printed = "0m0.120s 0m0.030s\n1m2.500s 0m3.250s\n"
    assert cpu_use.ended_children_seconds(printed) == pytest.approx(65.75)
