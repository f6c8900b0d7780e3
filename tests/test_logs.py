import logging

from peermatch.logs import SingleRecordFormatter


def test_a_newline_in_logged_text_cannot_start_a_new_record():
    record = logging.LogRecord("peermatch", logging.INFO, __file__, 1,
                               "signup name=%s", ("Ana\n2026-01-01 INFO forged\rline",), None)
    text = SingleRecordFormatter("%(levelname)s %(message)s").format(record)
    lines = text.split("\n")
    assert lines[0] == "INFO signup name=Ana"
    assert all(line.startswith("    | ") for line in lines[1:])
    assert "\r" not in text
