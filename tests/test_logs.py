import json
import logging

from peermatch.logs import JsonFormatter, RequestIdFilter, SingleRecordFormatter


def test_a_newline_in_logged_text_cannot_start_a_new_record():
    record = logging.LogRecord("peermatch", logging.INFO, __file__, 1,
                               "signup name=%s", ("Ana\n2026-01-01 INFO forged\rline",), None)
    text = SingleRecordFormatter("%(levelname)s %(message)s").format(record)
    lines = text.split("\n")
    assert lines[0] == "INFO signup name=Ana"
    assert all(line.startswith("    | ") for line in lines[1:])
    assert "\r" not in text


def test_json_records_are_one_line_with_the_request_id(app, client):
    formatter = JsonFormatter()
    record = logging.LogRecord("peermatch", logging.INFO, __file__, 1, "name=%s",
                               ("Ana\n{\"forged\": 1}",), None)
    with app.test_request_context("/", headers={"X-Request-ID": "abc-123"}):
        from peermatch.logs import _start_request

        _start_request()
        RequestIdFilter().filter(record)
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["request_id"] == "abc-123" and entry["message"] == 'name=Ana\n{"forged": 1}'


def test_every_response_carries_a_request_id(client):
    made = client.get("/resources").headers["X-Request-ID"]
    assert len(made) == 16
    assert client.get("/", headers={"X-Request-ID": "lb-42"}).headers["X-Request-ID"] == "lb-42"
    forged = client.get("/", headers={"X-Request-ID": "bad id<script>"}).headers["X-Request-ID"]
    assert forged != "bad id<script>" and len(forged) == 16
