"""The job's configuration: one YAML file onto a frozen dataclass, `--set` overrides.

Unknown keys, wrong types and out-of-range values raise ConfigError with a message
that names the key; the CLI turns it into exit status 2 before any work starts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

import yaml

from transforms.readers import FIELDS
from transforms.sketch import lsh_bands


class ConfigError(ValueError):
    """A configuration key or value that cannot be used."""


@dataclass(frozen=True)
class Config:
    """Every key of a wiretrace config file; the defaults are configs/default.yaml's."""

    shingle_size: int = 3
    """Words per shingle."""
    min_paragraph_words: int = 8
    """Paragraphs with fewer words are kept in the output but never matched."""
    num_perm: int = 64
    """MinHash permutations per signature."""
    seed: int = 1
    """Seed of the xxhash shingle hashes and of the MinHash permutations."""
    lsh_threshold: float = 0.2
    """Jaccard similarity the LSH banding is tuned for (bands and rows come from datasketch)."""
    lsh_false_positive_weight: float = 0.3
    """Weight of false positives against false negatives in datasketch's band optimisation."""
    min_shared_words: int = 8
    """Aligned words a stretch of shared text needs to count (and a passage to be reported)."""
    max_gap_words: int = 5
    """Unmatched words (an inserted "Mr.", a changed word) a shared stretch may bridge."""
    max_bucket_size: int = 100
    """An LSH bucket larger than this pairs each member with its first N members only."""
    furniture_documents: int = 4
    """A line shaped like page furniture (a menu, a byline with a time, a share bar), or
    naming its own outlet, that this many documents carry with small variations is never
    matched; 0: off."""
    align_parts: int = 4
    """Candidate pairs are aligned in this many separate joins, by a hash of the document
    id: a local runner holds one part's grouping at a time. The output is the same for any."""
    processes: int | str = "auto"
    """Worker processes beside the Beam worker for the heavy steps (signing, alignment,
    passages) when the DirectRunner runs the job in this process (its default); 0 runs
    them in the Beam worker itself. "auto": one per core. Other runners' workers (and
    the DirectRunner's own multi-process mode) work every batch themselves, whatever
    this says. The output is the same for any."""
    output_shards: int = 1
    """Shards per output file; 1 writes passages.jsonl, N writes passages-0000i-of-N.jsonl."""
    documents_text: bool = True
    """documents.jsonl rows carry the document's text (`text`), which the report shows."""
    rewordings: bool = True
    """Find sentences an outlet rewrote from another article (members of kind rewritten)."""
    embeddings: str = ""
    """Verify each reworded sentence with a sentence-embedding model (the embeddings
    extra): "wordllama" (the model its package ships) or a WordLlama model folder; empty: off."""
    embedding_min_similarity: float = 0.7
    """With `embeddings`: the cosine of the two sentences' embeddings a rewording needs."""
    report_max_passages: int = 10_000
    """report.html holds at most this many passages (the most widely carried); the data files hold all."""
    agencies: dict = field(default_factory=dict)
    """More wire agencies, or more aliases of known ones: {name: [alias, ...]}."""
    fields: dict = field(default_factory=dict)
    """JSON Lines and CSV input: the key or column holding each of the job's fields,
    {field: name}; a field not named is read from the key or column of its own name. A
    dotted name ("meta.published") reaches into a JSON object."""
    csv_delimiter: str = ""
    """CSV input: the delimiter, one character; empty: "," for .csv, a tab for .tsv."""
    day_first: bool = False
    """JSON Lines and CSV input: a numeric date with slashes or dashes ("08/03/2024") is
    day first (8 March) rather than month first (August 3). Dotted dates are day first."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "agencies", _check_agencies(self.agencies))
        object.__setattr__(self, "fields", _check_fields(self.fields))
        for f in fields(self):
            if f.name in ("agencies", "fields"):
                continue
            value = getattr(self, f.name)
            if f.name == "processes":
                whole = isinstance(value, int) and not isinstance(value, bool)
                if value != "auto" and not (whole and 0 <= value <= 256):
                    expected = 'expected "auto" or a whole number in [0, 256]'
                    raise ConfigError(f"config key 'processes': {expected}, got {value!r}")
                continue
            if f.name == "embeddings":
                _check_embeddings(value)
                continue
            if f.name == "csv_delimiter":
                if not isinstance(value, str) or len(value) > 1 or value in ('"', "\n", "\r"):
                    raise ConfigError(f"config key 'csv_delimiter': expected one character (or empty), got {value!r}")
                continue
            if f.type == "bool":
                if not isinstance(value, bool):
                    raise ConfigError(f"config key {f.name!r}: expected true or false, got {value!r}")
                continue
            expected = float if f.type == "float" else int
            if isinstance(value, bool) or not isinstance(value, (int, float) if expected is float else int):
                raise ConfigError(f"config key {f.name!r}: expected {expected.__name__}, got {value!r}")
            low, high = _RANGES[f.name]
            if not low <= value <= high:
                raise ConfigError(f"config key {f.name!r}: {value!r} is out of range [{low}, {high}]")
            object.__setattr__(self, f.name, expected(value))
        try:
            self.bands  # noqa: B018 - computed once here, so a config datasketch cannot band is rejected
        except ValueError as e:
            raise ConfigError(
                f"config keys 'lsh_threshold', 'lsh_false_positive_weight', 'num_perm': {self.lsh_threshold}, "
                f"{self.lsh_false_positive_weight}, {self.num_perm} give datasketch no usable LSH bands ({e})"
            ) from e

    @cached_property
    def bands(self) -> tuple[int, int]:
        """(bands, rows) of the LSH banding, from datasketch's own optimisation."""
        return lsh_bands(self.lsh_threshold, self.num_perm, self.lsh_false_positive_weight)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


_RANGES = {
    "shingle_size": (1, 20),
    "min_paragraph_words": (1, 1000),
    "num_perm": (16, 1024),
    "seed": (0, 2**32 - 1),
    "lsh_threshold": (0.05, 0.99),
    "lsh_false_positive_weight": (0.0, 1.0),
    "min_shared_words": (3, 1000),
    "max_gap_words": (0, 100),
    "max_bucket_size": (2, 100_000),
    "furniture_documents": (0, 1_000_000_000),
    "align_parts": (1, 1024),
    "output_shards": (1, 10_000),
    "report_max_passages": (0, 10_000_000),
    "embedding_min_similarity": (0.0, 1.0),
}
_KEYS = {f.name for f in fields(Config)}


def _check_embeddings(value) -> None:
    """ "" (off), "wordllama" or a model folder that loads here, or ConfigError."""
    if not isinstance(value, str):
        raise ConfigError(f"config key 'embeddings': expected a model name or folder, got {value!r}")
    if value:
        from transforms.embeddings import EmbeddingsUnavailable, check

        try:
            check(value)
        except EmbeddingsUnavailable as e:
            raise ConfigError(f"config key 'embeddings': {e}") from e


def _check_agencies(value) -> dict:
    """{name: [alias, ...]} (a name alone may map to null) -> a plain sorted dict, or ConfigError."""
    if not isinstance(value, dict):
        raise ConfigError(f"config key 'agencies': expected a mapping of agency name to aliases, got {value!r}")
    out = {}
    for name, aliases in value.items():
        aliases = [] if aliases is None else aliases
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(name, str) or not name.strip() or not isinstance(aliases, list):
            raise ConfigError(f"config key 'agencies': {name!r}: expected a name and a list of aliases")
        if not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ConfigError(f"config key 'agencies': {name!r}: every alias must be a non-empty string")
        out[name.strip()] = sorted({a.strip() for a in aliases})
    return dict(sorted(out.items()))


def _check_fields(value, key: str = "fields") -> dict:
    """{field: key or column} -> a plain sorted dict, or ConfigError naming what is wrong."""
    if not isinstance(value, dict):
        raise ConfigError(f"config key {key!r}: expected a mapping of field to key or column name, got {value!r}")
    for name, column in value.items():
        if name not in FIELDS:
            raise ConfigError(f"config key {key!r}: unknown field {name!r} (fields: {', '.join(FIELDS)})")
        if not isinstance(column, str) or not column.strip():
            raise ConfigError(f"config key {key!r}: {name!r}: expected a key or column name, got {column!r}")
    return {k: value[k].strip() for k in sorted(value)}


# Older names of keys, still read: {old: new}.
ALIASES = {"csv_columns": "fields"}


def _check_keys(values: dict, where: str) -> None:
    for key in values:
        if key not in _KEYS and key not in ALIASES:
            raise ConfigError(f"{where}: unknown config key {key!r} (known: {', '.join(sorted(_KEYS))})")


def _unaliased(values: dict) -> dict:
    """config values -> the same, each old key (ALIASES) under its new name; ConfigError
    when both are given and differ."""
    out = dict(values)
    for old, new in ALIASES.items():
        if old not in out:
            continue
        value = out.pop(old)
        if new in out and _check_fields(out[new], new) != _check_fields(value, old):
            raise ConfigError(f"config keys {old!r} and {new!r}: {old!r} is the older name of {new!r}; give one")
        out.setdefault(new, value)
    return out


def _read_yaml(path: Path) -> dict:
    if path.exists() and not path.is_file():  # a folder, a FIFO (which would block), a device
        raise ConfigError(f"--config {path}: cannot read it (not a regular file)")
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"--config {path}: cannot read it ({e.strerror or e})") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"--config {path}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"--config {path}: not valid YAML ({str(e).splitlines()[0]})") from e
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"--config {path}: expected a mapping of keys to values")
    _check_keys(loaded, f"--config {path}")
    return loaded


def _parse_override(item: str) -> tuple[str, object]:
    key, sep, raw = item.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(f"--set {item!r}: expected key=value")
    _check_keys({key: None}, f"--set {item}")
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        raise ConfigError(f"--set {item!r}: cannot parse the value") from e
    return key, value


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> Config:
    """config file (default: configs/default.yaml's values) + `key=value` overrides -> Config."""
    values = _read_yaml(Path(path)) if path else {}
    for item in overrides or []:
        key, value = _parse_override(item)
        values[key] = value
    return Config(**_unaliased(values))


# Keys that apply to some input formats only: {key: formats}.
FORMAT_KEYS = {"fields": ("jsonl", "csv"), "day_first": ("jsonl", "csv"), "csv_delimiter": ("csv",)}


def unused_keys(config: Config, formats: set[str]) -> list[str]:
    """a config, the formats of the run's input files -> warnings, one per key set away
    from its default that applies to none of those formats, or that another key turns off."""
    defaults = Config()
    warnings = []
    if config.embeddings and not config.rewordings:
        warnings.append("config key 'embeddings' has no effect with rewordings: false")
    for key, applies in FORMAT_KEYS.items():
        if getattr(config, key) != getattr(defaults, key) and not formats.intersection(applies):
            names = " or ".join({"jsonl": "JSON Lines", "csv": "CSV"}[f] for f in applies)
            warnings.append(f"config key {key!r} applies to {names} input only, and no input file is {names}")
    return warnings
