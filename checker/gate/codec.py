"""Turn the pipeline's values into compact JSON and back, for the cache.

No pickle: a cache directory can arrive with a pull request, and unpickling a planted
file runs its code. JSON only ever yields data, and every decoded value is checked
against its field's declared type, so a planted or damaged payload raises `CodecError`
(a cache miss) instead of producing a claim of the wrong shape.

A dataclass is written as a JSON list of its fields in declaration order; the codec of
each class is built once from its type hints. The members of a union are told apart by
their JSON type (a `Bound` is a number, an ISO date string or null), so no value needs
a tag except the floats JSON cannot write: infinities become `{"$f": "inf"}`.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import math
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache
from operator import attrgetter
from typing import Any, Final

from checker.extract.claims import Extraction
from checker.model import Claim, DateRange, Fact, Finding

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]

# Bump when the layout changes in a way the type-derived schema id cannot see.
_LAYOUT = "1"
_FLOAT_TAG = "$f"
_NONFINITE: Final = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}
# What JSON, a constructor's checks or a lookup raise on a wrong-shaped value; the
# codec's own checks raise CodecError directly.
_CODEC_FAILURES = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
    OverflowError,
)


class CodecError(Exception):
    """A payload this codec did not write, or cannot write: treat it as a cache miss."""


def encode_extraction(ex: Extraction) -> bytes:
    """Return one document's extraction as compact JSON bytes."""
    encode = _PLAIN.encoder(Extraction)
    with _no_gc(), _as_codec_error("cannot encode"):
        return _dump([CODEC_VERSION, encode(ex)])


def decode_extraction(data: bytes) -> Extraction:
    """Return the extraction `encode_extraction` wrote; raise `CodecError` on anything else."""
    decode = _PLAIN.decoder(Extraction)
    with _no_gc(), _as_codec_error("malformed payload"):
        result: Extraction = decode(_body(data, 2)[1])
    return result


def encode_analysis(facts: Sequence[Fact], findings: Sequence[Finding]) -> bytes:
    """Return facts and findings as compact JSON bytes, naming their claims by id.

    The claims themselves are cached with their documents' extractions; storing them
    again here would double the size of the cache.
    """
    fact, finding = _BY_ID.encoder(Fact), _BY_ID.encoder(Finding)
    with _no_gc(), _as_codec_error("cannot encode"):
        return _dump([CODEC_VERSION, [fact(f) for f in facts], [finding(f) for f in findings]])


def decode_analysis(
    data: bytes, claims: Mapping[str, Claim]
) -> tuple[tuple[Fact, ...], tuple[Finding, ...]]:
    """Return the facts and findings `encode_analysis` wrote, with `claims` looked up by id.

    A claim id missing from `claims` raises `CodecError`, like any other damage.
    """
    codec = _Codec(_claim_lookup(claims))
    facts, findings = codec.decoder(tuple[Fact, ...]), codec.decoder(tuple[Finding, ...])
    with _no_gc(), _as_codec_error("malformed payload"):
        body = _body(data, 3)
        return facts(body[1]), findings(body[2])


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Decoding allocates hundreds of thousands of lists and dataclasses, none in a cycle;
    the collections their count sets off would nearly double the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _as_codec_error(what: str) -> Iterator[None]:
    """Turn what a malformed value makes JSON or the constructors raise into CodecError."""
    try:
        yield
    except _CODEC_FAILURES as error:
        raise CodecError(f"{what}: {error}") from error


def _dump(value: object) -> bytes:
    # ASCII output keeps lone surrogates (from odd input bytes) round-trippable;
    # allow_nan=False proves every non-finite float was tagged.
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return text.encode("ascii")


def _body(data: bytes, length: int) -> list[Any]:
    """Parse the payload and check its envelope: `[version, part, ...]`."""
    body = json.loads(data)
    if type(body) is not list or len(body) != length:
        raise CodecError("not a cache payload")
    if body[0] != CODEC_VERSION:
        raise CodecError(f"payload written by codec {body[0]!r}, not {CODEC_VERSION}")
    return body


def _claim_lookup(claims: Mapping[str, Claim]) -> dict[type, tuple[Encoder, Decoder]]:
    def by_id(value: Any) -> Claim:
        if type(value) is not str:
            raise CodecError(f"expected a claim id, got {type(value).__name__}")
        try:
            return claims[value]
        except KeyError:
            raise CodecError(f"unknown claim {value!r}") from None

    return {Claim: (attrgetter("id"), by_id)}


@cache
def _init_fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """Return the name and resolved type of every `__init__` field of a dataclass."""
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    if any(f.kw_only for f in fields):
        # Decoding passes fields by position.
        raise TypeError(f"{cls.__name__}: keyword-only fields are not supported")
    return tuple((f.name, hints[f.name]) for f in fields)


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


class _Codec:
    """Encoders and decoders for types, built on first use and kept.

    `refs` maps a class to the pair used instead of its fields, which must write a
    string: facts name their claims by id.
    """

    def __init__(self, refs: Mapping[type, tuple[Encoder, Decoder]] | None = None) -> None:
        self._refs = dict(refs or {})
        self._encoders: dict[Any, Encoder] = {}
        self._decoders: dict[Any, Decoder] = {}

    def encoder(self, tp: Any) -> Encoder:
        """Return the function that turns a value of type `tp` into JSON data."""
        if tp not in self._encoders:
            self._encoders[tp] = self._build_encoder(tp)
        return self._encoders[tp]

    def decoder(self, tp: Any) -> Decoder:
        """Return the function that turns JSON data back into a value of type `tp`."""
        if tp not in self._decoders:
            self._decoders[tp] = self._build_decoder(tp)
        return self._decoders[tp]

    def _shapes(self, tp: Any) -> frozenset[type]:
        """Return the JSON types (as `json.loads` yields them) a value of `tp` is written as."""
        if tp in self._refs:
            return frozenset({str})
        if _is_union(tp):
            return frozenset().union(*(self._shapes(t) for t in typing.get_args(tp)))
        if tp is type(None):
            return frozenset({type(None)})
        if tp is float:
            return frozenset({int, float, dict})
        if tp in (str, date) or (_is_str_enum(tp)):
            return frozenset({str})
        if tp in (int, bool):
            return frozenset({tp})
        return frozenset({list})

    def _build_encoder(self, tp: Any) -> Encoder:
        if tp in self._refs:
            return self._refs[tp][0]
        if _is_union(tp):
            return self._union_encoder(typing.get_args(tp))
        if tp is float:
            return _encode_float
        if tp is date:
            return _encode_date
        if _is_str_enum(tp):
            return _encode_enum
        if tp in (str, int, bool, type(None)):
            return _identity
        if typing.get_origin(tp) is tuple:
            return self._tuple_encoder(typing.get_args(tp))
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            return self._dataclass_encoder(tp)
        raise TypeError(f"the cache codec cannot write {tp!r}")

    def _build_decoder(self, tp: Any) -> Decoder:
        if tp in self._refs:
            return self._refs[tp][1]
        if _is_union(tp):
            return self._union_decoder(typing.get_args(tp))
        if tp is float:
            return _decode_float
        if tp is date:
            return _decode_date
        if _is_str_enum(tp):
            return _enum_decoder(tp)
        if tp in (str, int, bool, type(None)):
            return _exact_decoder(tp)
        if typing.get_origin(tp) is tuple:
            return self._tuple_decoder(typing.get_args(tp))
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            return self._dataclass_decoder(tp)
        raise TypeError(f"the cache codec cannot read {tp!r}")

    def _dataclass_encoder(self, cls: type) -> Encoder:
        # A generated function, as `dataclasses` writes `__init__`: a generic loop over
        # the fields costs several times more per claim than the attribute reads.
        namespace: dict[str, Any] = {}
        items = []
        for i, (name, tp) in enumerate(_init_fields(cls)):
            if self._written_as_is(tp):
                items.append(f"value.{name}")
            else:
                namespace[f"e{i}"] = self.encoder(tp)
                items.append(f"e{i}(value.{name})")
        body = f"return [{', '.join(items)}]"
        return _function("encode", body, namespace)

    def _dataclass_decoder(self, cls: type) -> Decoder:
        fields = _init_fields(cls)
        namespace: dict[str, Any] = {"cls": cls, "CodecError": CodecError}
        checks, args = [], []
        for i, (_, tp) in enumerate(fields):
            exact = _exact_types(tp)
            if exact is not None:
                # Checked inline: one call per plain field would double the decoding time.
                checks.append(_type_test(f"a{i}", exact, namespace))
                args.append(f"a{i}")
            elif (inner := _optional_of(tp)) is not None:
                namespace[f"d{i}"] = self.decoder(inner)
                args.append(f"(None if a{i} is None else d{i}(a{i}))")
            else:
                namespace[f"d{i}"] = self.decoder(tp)
                args.append(f"d{i}(a{i})")
        message = repr(f"malformed {cls.__name__}")
        names = "".join(f"a{i}, " for i in range(len(fields)))
        body = f"""\
if type(value) is not list or len(value) != {len(fields)}:
    raise CodecError({message})
{names}= value
if not ({" and ".join(checks) or "True"}):
    raise CodecError({message})
return cls({", ".join(args)})"""
        return _function("decode", body, namespace)

    def _written_as_is(self, tp: Any) -> bool:
        """Return whether values of `tp` go into JSON unchanged (a StrEnum is a str)."""
        if tp in self._refs:
            return False
        if _is_union(tp):
            return all(self._written_as_is(t) for t in typing.get_args(tp))
        return tp in (str, int, bool, type(None)) or _is_str_enum(tp)

    def _tuple_encoder(self, args: tuple[Any, ...]) -> Encoder:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _skip_identity(self.encoder(args[0]))
            if item is None:
                return list
            each = item
            return lambda value: [each(x) for x in value]
        encoders = [self.encoder(a) for a in args]
        return lambda value: [e(x) for e, x in zip(encoders, value, strict=True)]

    def _tuple_decoder(self, args: tuple[Any, ...]) -> Decoder:
        if len(args) == 2 and args[1] is Ellipsis:
            exact = _exact_types(args[0])
            if exact is not None:
                return _exact_tuple_decoder(exact)
            item = self.decoder(args[0])

            def decode_all(value: Any) -> tuple[Any, ...]:
                if type(value) is not list:
                    raise CodecError("malformed tuple")
                return tuple([item(x) for x in value])

            return decode_all
        decoders = [self.decoder(a) for a in args]
        count = len(decoders)

        def decode_fixed(value: Any) -> tuple[Any, ...]:
            if type(value) is not list or len(value) != count:
                raise CodecError("malformed tuple")
            return tuple([d(x) for d, x in zip(decoders, value, strict=True)])

        return decode_fixed

    def _union_encoder(self, members: tuple[Any, ...]) -> Encoder:
        by_type: dict[type, Encoder] = {}
        for member in members:
            for runtime in _runtime_types(member):
                by_type[runtime] = self.encoder(member)

        def encode(value: Any) -> Any:
            encode_member = by_type.get(type(value))
            if encode_member is not None:
                return encode_member(value)
            # A subclass (an IntEnum in an int field, say) is looked up the slow way.
            for runtime, candidate in by_type.items():
                if isinstance(value, runtime):
                    return candidate(value)
            raise CodecError(f"cannot encode {type(value).__name__} as {members}")

        return encode

    def _union_decoder(self, members: tuple[Any, ...]) -> Decoder:
        by_shape: dict[type, Decoder] = {}
        for member in members:
            for shape in self._shapes(member):
                if shape in by_shape:
                    # Two members written alike could not be told apart when read.
                    raise TypeError(f"ambiguous union for the cache codec: {members}")
                by_shape[shape] = self.decoder(member)

        def decode(value: Any) -> Any:
            decode_member = by_shape.get(type(value))
            if decode_member is None:
                raise CodecError(f"unexpected {type(value).__name__} for {members}")
            return decode_member(value)

        return decode


def _runtime_types(tp: Any) -> tuple[type, ...]:
    """Return the Python types a value declared as `tp` may have at run time."""
    if tp is float:
        # PEP 484: an int is acceptable where a float is declared.
        return (float, int)
    origin = typing.get_origin(tp)
    return (origin if isinstance(origin, type) else tp,)


def _is_str_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, StrEnum)


def _optional_of(tp: Any) -> Any:
    """Return `T` when `tp` is `T | None`, else None."""
    if not _is_union(tp):
        return None
    members = [m for m in typing.get_args(tp) if m is not type(None)]
    return members[0] if len(members) == 1 else None


def _exact_types(tp: Any) -> tuple[type, ...] | None:
    """Return the JSON types of `tp` when it is only str, int, bool and None, else None."""
    members = typing.get_args(tp) if _is_union(tp) else (tp,)
    if all(m in (str, int, bool, type(None)) for m in members):
        return tuple(members)
    return None


def _type_test(name: str, types_: tuple[type, ...], namespace: dict[str, Any]) -> str:
    """Return a Python expression testing that variable `name` has exactly one of `types_`."""
    tests = []
    for t in types_:
        if t is type(None):
            tests.append(f"{name} is None")
        else:
            # `type(...) is`, not isinstance: JSON's true must not pass for an int.
            namespace[t.__name__] = t
            tests.append(f"type({name}) is {t.__name__}")
    return "(" + " or ".join(tests) + ")"


def _function(name: str, body: str, namespace: dict[str, Any]) -> Callable[[Any], Any]:
    """Compile `def name(value): body` in `namespace` and return it."""
    source = f"def {name}(value):\n" + "".join(f"    {line}\n" for line in body.splitlines())
    exec(source, namespace)
    function: Callable[[Any], Any] = namespace[name]
    return function


def _identity(value: Any) -> Any:
    return value


def _skip_identity(encode: Encoder) -> Encoder | None:
    return None if encode is _identity else encode


def _encode_float(value: float) -> float | dict[str, str]:
    if math.isfinite(value):
        return value
    return {_FLOAT_TAG: "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}


def _decode_float(value: Any) -> float:
    kind = type(value)
    if kind is float or kind is int:
        # An int stays an int: a bound written as 20 is read back as 20, not 20.0.
        return typing.cast(float, value)
    if kind is dict and len(value) == 1 and value.get(_FLOAT_TAG) in _NONFINITE:
        return _NONFINITE[value[_FLOAT_TAG]]
    raise CodecError(f"expected a number, got {kind.__name__}")


def _encode_date(value: date) -> str:
    return value.isoformat()


# A corpus names few distinct days many times over; parsing each once halves the cost.
# A non-string raises TypeError, which `_as_codec_error` turns into CodecError.
_decode_date: Decoder = lru_cache(maxsize=4096)(date.fromisoformat)


def _encode_enum(value: StrEnum) -> str:
    return value.value


def _enum_decoder(cls: type[StrEnum]) -> Decoder:
    # A dict lookup is several times faster than calling the enum class; an unknown value
    # raises KeyError and a list TypeError, both turned into CodecError by `_as_codec_error`.
    members = {member.value: member for member in cls}
    return members.__getitem__


def _exact_tuple_decoder(types_: tuple[type, ...]) -> Decoder:
    def decode(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise CodecError("malformed tuple")
        for item in value:
            if type(item) not in types_:
                raise CodecError(f"unexpected {type(item).__name__} in a tuple")
        return tuple(value)

    return decode


def _exact_decoder(tp: type) -> Decoder:
    def decode(value: Any) -> Any:
        # `type(...) is`, not isinstance: JSON's true must not pass for an int.
        if type(value) is not tp:
            raise CodecError(f"expected {tp.__name__}, got {type(value).__name__}")
        return value

    return decode


def _describe(tp: Any, seen: set[type]) -> str:
    """Return a text naming `tp`'s structure: the fields and types of every class in it."""
    if _is_union(tp) or typing.get_origin(tp) is tuple:
        return repr(tp) + "(" + ",".join(_describe(a, seen) for a in typing.get_args(tp)) + ")"
    if _is_str_enum(tp):
        return f"{tp.__qualname__}{sorted(m.value for m in tp)}"
    if isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp not in seen:
        seen.add(tp)
        inner = ",".join(f"{n}:{_describe(t, seen)}" for n, t in _init_fields(tp))
        return f"{tp.__qualname__}{{{inner}}}"
    return repr(tp)


def _schema_id(roots: Iterable[type]) -> str:
    seen: set[type] = set()
    text = _LAYOUT + "|" + "|".join(_describe(r, seen) for r in roots)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# Changes whenever a cached class gains, loses, renames or retypes a field, or an enum
# its members: old payloads then fail the envelope check instead of decoding wrongly.
# Callers may also put it in cache keys.
CODEC_VERSION: Final = _schema_id([Extraction, Fact, Finding])

_PLAIN = _Codec()
# Encoding by id needs no claims at hand; decoding does, so it gets a codec per call.
_BY_ID = _Codec({Claim: (attrgetter("id"), _identity)})


def encode_published(published: Mapping[str, DateRange | None]) -> bytes:
    """Return documents' publication dates (by document id) as compact JSON bytes."""
    encode = _PLAIN.encoder(DateRange | None)
    with _no_gc(), _as_codec_error("cannot encode"):
        return _dump([CODEC_VERSION, {key: encode(value) for key, value in published.items()}])


def decode_published(data: bytes) -> dict[str, DateRange | None]:
    """Return the dates `encode_published` wrote; raise `CodecError` on anything else."""
    decode = _PLAIN.decoder(DateRange | None)
    with _no_gc(), _as_codec_error("malformed payload"):
        body = _body(data, 2)[1]
        if type(body) is not dict:
            raise CodecError("not a table of dates")
        return {str(key): decode(value) for key, value in body.items()}
