"""report.load, report.page, report.charts: a run's files -> what the report shows."""

import json
import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import jinja2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report.charts import bar_chart, heat_map, shade
from report.load import Run, line_ranges, load_run, range_lines, reach, read_rows, row_of, widest_passages
from report.page import UNKNOWN_OUTLET, OutletShare, outlet_shares, overview, page_data, shown_doc_ids
from report.render import json_pieces, render
from report.story_data import light_row
from tests.report_rows import A, B, W, member_row, passage_row, sample_rows


def _members(data):
    """page data -> {doc_id: member fields} of its one passage."""
    (p,) = data["passages"]
    names = ["doc", "start", "end", "kind", "sim", "delay", "par", "diff", "coverage", "rewords", "text"]
    members = [dict(zip(names, m, strict=False)) for m in p["members"]]
    return {data["docs"][m["doc"]]["id"]: m for m in members}


def test_page_data_keeps_the_documents_of_shown_passages_compactly():
    passages, docs = sample_rows()
    data = page_data(passages, docs)
    assert [d["id"] for d in data["docs"]] == ["c", "a", "b"]  # most shared first; z carries nothing shown
    assert data["outlets"] == ["Alpha", "Beta"] and data["agencies"] == ["AFP"]
    p = data["passages"][0]
    assert (p["id"], p["agency"], p["outlets"], p["first"], p["text"]) == (
        "p1",
        0,
        [0, 1],
        "2024-01-01T10:00:00Z",
        None,
    )
    assert p["origin"] == [1, 0.9, ["earliest_published"]]
    members = _members(data)
    a, b, c = members["a"], members["b"], members["c"]
    assert (a["start"], a["end"]) == (A.index("The minister"), len(A))  # code points, as in the files
    assert [data["kinds"][m["kind"]] for m in (a, b, c)] == ["origin", "edited", "verbatim"]
    assert (a["delay"], b["delay"], c["delay"]) == (0.0, 12600.0, None)
    assert a["diff"] is None and c["diff"] == [len(W)]
    assert "the" in b["diff"]  # "the talks" -> "talks": the origin's word left out
    assert "text" not in a  # the page slices it from the document
    b_doc = data["docs"][b["doc"]]
    assert b_doc["spans"] == [[B.index("The minister"), B.index(", officials"), 0, 0], [0, 5, -1, 0, "p9"]]


def test_page_data_without_document_text_gives_each_member_its_own():
    passages, docs = sample_rows()
    for d in docs:
        d.pop("text")
    data = page_data(passages, docs)
    members = _members(data)
    assert data["docs"][members["b"]["doc"]]["text"] is None
    assert members["b"]["text"] == B[B.index("The minister") : B.index(", officials")]
    assert data["passages"][0]["text"] == W


def test_outlet_shares_count_wire_copy_once_per_character():
    _, docs = sample_rows()
    docs[1]["spans"].append({"start": 12, "end": 20, "passage_id": "p1", "role": "copy", "shared_with": []})
    shares = {s.outlet: s for s in outlet_shares(docs, {"p1": "AFP", "p9": None})}
    beta = shares["Beta"]
    span = B.index(", officials") - B.index("The minister")
    assert (beta.articles, beta.chars, beta.wire_chars) == (1, len(B), span)  # the overlap counts once
    assert shares["Zeta"].wire_ratio == 0.0 and UNKNOWN_OUTLET in shares


def test_overview_counts_and_agencies():
    passages, docs = sample_rows()
    ov = overview({"passages": 2}, outlet_shares(docs, {"p1": "AFP", "p9": None}), {"p1": "AFP", "p9": None}, [])
    assert (ov.articles, ov.outlets, ov.passages) == (4, 3, 2)
    assert ov.agencies == [("AFP", 1), ("(none)", 1)]
    assert ov.shared_chars == sum(d["shared_chars"] for d in docs)


def test_bar_chart_stacks_wire_and_other_shared_copy():
    chart = bar_chart([OutletShare("A", 1, 100, 50, 20), OutletShare("B", 1, 100, 0, 0)], limit=1)
    (bar,) = chart.bars
    assert (bar.wire_width, bar.other_width, chart.left_out) == (88.0, 132.0, 1)


def test_heat_map_keeps_the_outlets_sharing_most():
    rows = [
        {"source_outlet": "A", "target_outlet": "B", "passages": 10, "shared_chars": 900},
        {"source_outlet": "B", "target_outlet": "A", "passages": 1, "shared_chars": 90},
        {"source_outlet": "C", "target_outlet": "D", "passages": 1, "shared_chars": 90},
    ]
    heat = heat_map(rows, limit=2)
    assert heat.outlets == ["A", "B"] and heat.left_out == 2
    darkest = next(c for c in heat.cells if c.passages == 10)
    assert (darkest.x, darkest.y, darkest.fill) == (22, 0, shade(1.0))
    assert shade(0.0) == "#eff3ff"


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**63), 2**64 - 1)
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    )
)
def test_a_row_reads_as_json_reads_it(value):
    """orjson where it can, json where it cannot (NaN, infinities, lone surrogates): the
    same value as json.loads, for every integer an output file can hold (64 bits)."""
    line = json.dumps({"v": value}, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    assert _same(row_of(line), json.loads(line))


def _same(a, b) -> bool:
    """equal, counting NaN as equal to NaN (it is not equal to itself)."""
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def test_load_run_keeps_the_most_widely_carried_passages(tmp_path):
    passages, docs = sample_rows()
    narrow = passage_row(
        "p0", [member_row("a", "Alpha", 0, 6, "Intro.", "origin"), member_row("b", "Alpha", 0, 6, "Other")]
    )
    (tmp_path / "passages.jsonl").write_text("".join(json.dumps(p) + "\n" for p in [narrow, *passages]))
    (tmp_path / "documents.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    (tmp_path / "outlets.csv").write_text("source_outlet,target_outlet,passages,shared_chars\nAlpha,Beta,1,40\n")
    (tmp_path / "summary.json").write_text(json.dumps({"passages": 2, "config": {"report_max_passages": 1}}))
    (tmp_path / "_SUCCESS").write_text("")
    run = load_run(str(tmp_path))
    assert [p["passage_id"] for p in run.passages] == ["p1"]  # two outlets beat one
    assert run.agencies == {"p0": None, "p1": "AFP"}
    assert load_run(str(tmp_path), 0).agencies == run.agencies and load_run(str(tmp_path), 0).passages == []
    assert run.outlet_pairs == [{"source_outlet": "Alpha", "target_outlet": "Beta", "passages": 1, "shared_chars": 40}]
    assert [d["doc_id"] for d in run.documents()] == ["a", "b", "c", "z"]
    assert [p["passage_id"] for p in load_run(str(tmp_path), 5).passages] == ["p1", "p0"]
    assert sorted([narrow, passages[0]], key=reach)[0] is passages[0]


def test_the_page_reads_documents_jsonl_once_and_shows_what_two_reads_showed(seeds_run, monkeypatch):
    run = load_run(str(seeds_run))
    reads = []
    monkeypatch.setattr(Run, "documents", lambda self: reads.append(1) or read_rows(self.folder, "documents"))
    page = render(run)
    assert len(reads) == 1
    embedded = page.split('<script type="application/json" id="wiretrace-data">')[1].split("</script>")[0]
    rows = list(read_rows(str(seeds_run), "documents"))
    wanted = shown_doc_ids(run.passages)
    others = [light_row(d) for d in rows if d["doc_id"] not in wanted]
    assert json.loads(embedded) == page_data(run.passages, rows, None, run.stories, others)
    assert len(json.loads(embedded)["docs"]) == len(rows) and run.stories


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(st.text(alphabet="ab é\n", max_size=12), max_size=6), min_size=1, max_size=3),
    st.integers(1, 7),
)
def test_every_line_is_in_exactly_one_part_in_file_order(tmp_path, files, parts):
    """line_ranges' cuts fall anywhere (inside a line, on a newline, inside a UTF-8
    character): range_lines over the parts, in order, still give each line once."""
    folder = tmp_path / f"f{abs(hash((str(files), parts)))}"
    folder.mkdir()
    expected = []
    for i, pieces in enumerate(files):
        text = "".join(piece + "\n" for piece in pieces)
        (folder / f"rows-{i:05d}-of-00003.jsonl").write_text(text, encoding="utf-8")
        expected += [line + "\n" for line in text.split("\n")[:-1] if line.strip()]
    cut = line_ranges(str(folder), "rows", parts)
    assert len(cut) == parts
    assert [line for part in cut for line in range_lines(part)] == expected


def test_the_report_read_in_parts_in_a_process_pool_is_the_same_page(seeds_run):
    """Passages, documents and diffs worked in parts, all but the first in another
    process (as the job does with its worker processes), against one read here."""
    expected = render(load_run(str(seeds_run)))
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver")) as pool:
        for parts in (2, 3):
            run = load_run(str(seeds_run), pool=pool, parts=parts)
            assert render(run, pool, parts) == expected
    assert 'id="wiretrace-data"' in expected and run.passages


def test_the_widest_passages_of_each_part_are_the_widest_of_all(tmp_path):
    passages, _ = sample_rows()
    rows = [passage_row(f"p{i:02d}", passages[0]["members"][: 1 + i % 3]) for i in range(30)]
    (tmp_path / "passages.jsonl").write_text("".join(json.dumps(p) + "\n" for p in rows))
    widest = sorted(rows, key=reach)[:7]
    for parts in (1, 2, 5):
        agencies, kept = [], []
        for part in line_ranges(str(tmp_path), "passages", parts):
            part_agencies, part_kept = widest_passages(part, 7)
            agencies += part_agencies
            kept += part_kept
        assert sorted(agencies) == sorted(r["passage_id"] for r in rows)
        assert [json.loads(line) for _, line in sorted(kept)[:7]] == widest


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["docs", "passages", "kinds", "summary"]),
        st.one_of(
            st.lists(st.dictionaries(st.text(max_size=4), st.text(alphabet="a<>&'\"/é\u2028 ", max_size=9))),
            st.text(alphabet="</script>&'\"é", max_size=12),
            st.integers(),
        ),
    )
)
def test_the_data_written_in_pieces_is_the_json_jinja2_would_embed(data):
    """The page's data is written an entry at a time (report.render.json_pieces): the
    same characters as the template's `tojson`, which nothing in the data can break out of."""
    env = jinja2.Environment(autoescape=True)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    assert "".join(json_pieces(data)) == env.from_string("{{ data|tojson }}").render(data=data)


def test_a_worker_reading_the_runs_files_prints_no_beam_import_noise():
    """The report's parts are read in worker processes, which import Beam through
    report.load: nothing of it reaches the user's terminal."""
    done = subprocess.run(
        [sys.executable, "-c", "import report.load, report.render"], capture_output=True, text=True, check=True
    )
    assert done.stderr == "" and done.stdout == ""
