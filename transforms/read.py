"""ReadDocuments: file paths -> Documents, with the wire agencies each credits, and
RecordErrors for what cannot be used; PackDocuments: the documents side of the joins."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from transforms.model import Document, RecordError
from transforms.offload import Offloaded
from transforms.packed import ListOf, PackedGroupByKey, pack
from transforms.pages import WarcCounts, warc_records
from transforms.readers import (
    DEFAULT_OPTIONS,
    ReadOptions,
    decode_file,
    input_format,
    jsonl_parts,
    parse_decoded,
    pick_survivor,
)
from transforms.shards import shard_of
from transforms.work import agency_items, read_batch, seal_batch

ERRORS = "errors"


class ParseFileFn(beam.DoFn):
    """path -> its records: a JSON Lines file as FileParts of its lines, to be parsed in
    the next step (ReadRecords); any other file as Documents and RecordErrors. Counts the
    files read in each encoding other than UTF-8 (`read:encoding:cp1252`), the broken
    UTF-8 sequences read as U+FFFD (`read:replaced_sequences`), and the records to come
    (`read:expected`: a JSON Lines file's non-blank lines, the records of the others),
    which progress lines read."""

    def __init__(self, options: ReadOptions):
        self.options = options
        self.expected = Metrics.counter("read", "expected")
        self.replaced = Metrics.counter("read", "replaced_sequences")
        self.warc_skipped = Metrics.counter("read", "warc_records_not_responses")

    def process(self, path: str):
        fmt = input_format(path, self.options.format)
        if fmt == "warc":
            yield from self._warc(path)
            return
        try:
            with FileSystems.open(path, compression_type="uncompressed") as f:
                data = f.read()
        except OSError as e:
            self.expected.inc()
            yield RecordError(path, "", "unreadable", str(e))
            return
        decoded = decode_file(path, data, self.options.format)
        if isinstance(decoded, RecordError):
            self.expected.inc()
            yield decoded
            return
        if decoded.encoding not in ("utf-8", "utf-8-sig"):
            Metrics.counter("read", f"encoding:{decoded.encoding}").inc()
        self.replaced.inc(decoded.replaced)
        if fmt == "jsonl":
            parts = jsonl_parts(path, decoded.text)
            self.expected.inc(sum(1 for part in parts for line in part.text.splitlines() if line.strip()) or 1)
            yield from parts
        else:
            for record in parse_decoded(path, decoded.text, self.options):
                self.expected.inc()
                yield record

    def _warc(self, path: str):
        """a WARC file, streamed (CC-NEWS files are a gigabyte): its HTML responses."""
        counts = WarcCounts()
        try:
            with FileSystems.open(path, compression_type="uncompressed") as f:
                for record in warc_records(path, f, counts):
                    self.expected.inc()
                    yield record
        except OSError as e:
            yield RecordError(path, "", "unreadable", str(e))
        self.warc_skipped.inc(counts.skipped)


def _split_records(record: Document | RecordError):
    """a record -> itself, on the `errors` output if it is a RecordError."""
    yield record if isinstance(record, Document) else TaggedOutput(ERRORS, record)


class KeepOneIdFn(beam.DoFn):
    """(doc_id, [Document]) -> the Document kept; duplicates on the `errors` output.
    Counts the documents kept that credit an agency (`credits:documents_crediting`)."""

    def __init__(self):
        self.duplicates = Metrics.counter("read", "duplicate_id")
        self.crediting = Metrics.counter("credits", "documents_crediting")

    def process(self, element):
        doc_id, docs = element
        kept, errors = pick_survivor(doc_id, list(docs))
        if kept.credits:
            self.crediting.inc()
        yield kept
        for e in errors:
            self.duplicates.inc()
            yield TaggedOutput(ERRORS, e)


def _source(record: Document | RecordError) -> str:
    return record.source


def _doc_id(doc: Document) -> str:
    return doc.doc_id


class ReadDocuments(beam.PTransform):
    """paths of input files -> {"documents": Document, "errors": RecordError, "records": the
    source of every record read (documents and errors alike), for counting.

    Each record read appears exactly once, in `documents` or in `errors`; `records`
    has one element for every record as parsed, before duplicate ids are set aside.
    Documents come with the wire agencies they credit (`agencies`: the config's extra
    ones). JSON Lines files are parsed, and every document's credits found, in
    the worker processes (transforms.offload), PART_LINES lines at a time; other files
    are parsed as they are read.
    """

    def __init__(self, paths: list[str], options: ReadOptions = DEFAULT_OPTIONS, agencies=None):
        super().__init__()
        self.paths = sorted(set(paths))
        self.options = options
        self.agencies = agency_items(agencies)

    def expand(self, pbegin):
        parsed = (
            pbegin
            | "ListFiles" >> beam.Create(self.paths)
            | "SpreadFiles" >> beam.Reshuffle()
            | "ParseFiles" >> beam.ParDo(ParseFileFn(self.options))
            | "ReadRecords" >> beam.ParDo(Offloaded(read_batch, (self.agencies, self.options), batch_size=8))
            | "SplitRecords" >> beam.FlatMap(_split_records).with_outputs(ERRORS, main="documents")
        )
        unique = (
            parsed.documents
            | "KeyById" >> beam.WithKeys(_doc_id)
            | "GroupById" >> PackedGroupByKey()
            | "KeepOnePerId" >> beam.ParDo(KeepOneIdFn()).with_outputs(ERRORS, main="documents")
        )
        errors = (parsed[ERRORS], unique[ERRORS]) | "AllErrors" >> beam.Flatten()
        # Only the sources meet: a Flatten of two inputs is a stage of its own on the local
        # runner, which would hold every document once more to count them.
        records = (
            parsed.documents | "DocumentSources" >> beam.Map(_source),
            parsed[ERRORS] | "ErrorSources" >> beam.Map(_source),
        ) | "AllRecords" >> beam.Flatten()
        return {"documents": unique.documents, "errors": errors, "records": records}


def _doc_item(doc: Document) -> tuple[int, tuple[str, bytes]]:
    return shard_of(doc.doc_id), (doc.doc_id, pack(doc))


class PackDocuments(beam.PTransform):
    """Document -> (shard, sealed shard): the documents side of the joins (Verify,
    Cluster, Provenance), packed once for all of them, one element per shard (shard_of):
    its documents pickled each, in doc_id order, and the shard compressed
    (transforms.shards.seal), in the worker processes (transforms.offload). A join
    reads them with Shelf."""

    def expand(self, docs):
        return (
            docs
            | "Pack" >> beam.Map(_doc_item)
            | "GroupByShard" >> beam.CombinePerKey(ListOf())
            | "Seal" >> beam.ParDo(Offloaded(seal_batch, (), batch_size=1))
        )
