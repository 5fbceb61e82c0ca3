"""job.json is read with its types checked: a hand-edited or foreign file (a date as a string) is skipped and
logged once, and the other jobs still list (start-up used to stop at sorting them)."""

from __future__ import annotations

import json
import logging

import pytest

from studio.train.jobstore import JOB_FILE, Job, jobs_root, list_jobs, read_job, write_job


@pytest.mark.parametrize("field, value", [("created", "2026-12-08T03:00:00Z"), ("labels", [1, 2]), ("ok", "yes"),
                                          ("pid", True), ("owner", "../../etc"), ("message", "boom")])
def test_a_field_of_the_wrong_type_is_refused(field, value):
    with pytest.raises(TypeError):
        Job.from_json({"id": "a1", field: value})


def test_numbers_and_nulls_read_as_before():
    job = Job.from_json({"id": "a1", "created": 5, "epochs": 2, "pid": None, "message": ["train.done", {}]})
    assert job.created == 5 and job.epochs == 2 and job.pid is None and job.message == ["train.done", {}]


def test_a_broken_job_file_is_skipped_and_logged_once(tmp_path, caplog):
    good = write_job(tmp_path, Job(id="good1", status="done", created=2.0))
    bad = jobs_root(tmp_path) / "bad1"
    bad.mkdir()
    (bad / JOB_FILE).write_text(json.dumps({"id": "bad1", "status": "running", "created": "yesterday"}))
    with caplog.at_level(logging.WARNING, logger="studio.train.jobstore"):
        assert list_jobs(tmp_path) == [good]
        assert list_jobs(tmp_path) == [good] and read_job(tmp_path, "bad1") is None
    assert len([r for r in caplog.records if "bad1" in r.getMessage()]) == 1
