"""transforms.credits: the agencies an article itself credits, and never a photo credit."""

import json

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipeline.cli import run
from tests.beam_helpers import counter
from transforms.credits import Agencies
from transforms.offload import worker_processes
from transforms.read import ReadDocuments

BODY = "Iraq's prime minister met the US secretary of state in Baghdad on Sunday for talks."


@pytest.mark.parametrize(
    ("text", "credits"),
    [
        (f"Blinken in Baghdad\n\n\u2014 Baghdad (AFP)\n\n{BODY}", ("AFP",)),
        (f"WASHINGTON (AP) \u2014 {BODY}", ("AP",)),
        (f"BAGHDAD (Reuters) - {BODY}", ("Reuters",)),
        (f"GAZA CITY, Nov 5 (Reuters) - {BODY}", ("Reuters",)),
        (f"By Reuters\n\n{BODY}", ("Reuters",)),
        (f"By Jane Doe, AFP\n\n{BODY}", ("AFP",)),
        (f"{BODY}\n\nReuters contributed to this report.", ("Reuters",)),
        (f"{BODY}\n\nThe Associated Press contributed to this report.", ("AP",)),
        (f"{BODY}\n\nAgence France-Presse contributed reporting.", ("AFP",)),
        (f"{BODY}\n\nwith AFP", ("AFP",)),
        (f"{BODY}\n\n(Additional reporting by Jane Doe in Ankara, Reuters)", ("Reuters",)),
        (f"BEIJING (Xinhua) -- {BODY}\n\nAFP contributed to this report.", ("AFP", "Xinhua")),
        (f"ISTANBUL (Anadolu) - {BODY}", ("Anadolu",)),
        (f"SYDNEY (AAP) - {BODY}", ("AAP",)),
    ],
)
def test_each_credit_pattern(text, credits):
    assert Agencies().credits(text) == credits


@pytest.mark.parametrize(
    "text",
    [
        f"{BODY}\n\nBlinken greets troops in Baghdad on Nov. 5, 2023. (Jonathan Ernst/Pool/AFP via Getty Images)",
        f"Photo: AFP\n\n{BODY}",
        f"{BODY} (AFP Photo)",
        f"{BODY}\n\nA map of the region, as the AP style guide would have it, shows the bases.",
        f"{BODY}\n\nThe minister said AFP reporters were turned back at the border.",
    ],
)
def test_photo_credits_and_mentions_are_not_article_credits(text):
    assert Agencies().credits(text) == ()


def test_the_config_adds_agencies_and_aliases():
    agencies = Agencies({"TASS": ["ITAR-TASS"], "AFP": ["France-Presse"]})
    assert agencies.credits(f"MOSCOW (ITAR-TASS) - {BODY}") == ("TASS",)
    assert agencies.credits(f"{BODY}\n\nFrance-Presse contributed to this report.") == ("AFP",)
    assert agencies.name("TASS") == "TASS" and agencies.name("Shafaq News") is None


def test_seeds_credits_and_metadata(seeds_run):
    docs = {}
    for line in (seeds_run / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs[row["doc_id"][:3]] = row
    assert docs["004"]["credits"] == ["AFP"]  # "— Baghdad (AFP)"
    assert docs["003"]["credits"] == ["Reuters"]  # not AFP: its AFP names are photo credits only
    assert (docs["000"]["outlet"], docs["000"]["published"]) == ("Shafaq News", "2023-11-05T22:15:05")
    assert docs["001"]["published"] == "2023-12-06"


def test_a_credited_agency_names_the_passage_and_its_origin_evidence(tmp_path):
    story = (
        "Secretary of State Antony Blinken arrived in Baghdad on Sunday for talks with Prime Minister "
        "al-Sudani about attacks on American troops stationed in the region."
    )
    rows = [
        {"id": "fast", "text": f"Own lead of the fast outlet.\n\n{story}", "outlet": "Fast", "published": "2024-01-01"},
        {"id": "credit", "text": f"BAGHDAD (AFP) - {story}", "outlet": "Careful", "published": "2024-01-02"},
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert run(["run", "--input", str(corpus), "--output", str(tmp_path / "out")]) == 0
    (passage,) = [json.loads(line) for line in (tmp_path / "out" / "passages.jsonl").read_text().splitlines()]
    assert passage["agency"] == "AFP"
    assert passage["origin"]["doc_id"] == "credit" and "credits:AFP" in passage["origin"]["evidence"]
    assert passage["edges"] == [{"source": "credit", "target": "fast", "similarity": 1.0}]


@pytest.mark.parametrize("processes", [0, 2])
def test_read_documents_adds_the_credits_in_worker_processes_or_here(tmp_path, processes):
    rows = [
        {"id": "a", "text": f"BAGHDAD (Reuters) - {BODY}"},
        {"id": "b", "text": f"{BODY}\n\nwith Wire Desk"},
        {"id": "c", "text": BODY},
    ]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    (tmp_path / "d.txt").write_text(f"PARIS (AFP) - {BODY}", encoding="utf-8")  # parsed as read, credited after
    paths = [str(tmp_path / "in.jsonl"), str(tmp_path / "d.txt")]
    p = TestPipeline()
    read = p | ReadDocuments(paths, agencies={"WireDesk": ["Wire Desk"]})
    found = read["documents"] | beam.Map(lambda doc: (doc.doc_id, doc.credits))
    assert_that(found, equal_to([("a", ("Reuters",)), ("b", ("WireDesk",)), ("c", ()), ("d", ("AFP",))]))
    with worker_processes(processes):
        result = p.run()
        result.wait_until_finish()
    assert counter(result, "credits", "documents_crediting") == 3
