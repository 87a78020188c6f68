"""tf.io, tf.train.Example, TFRecord files and CSV datasets against what TF 2.21 did
(tests/fixtures/io, recorded by tools/record_io_fixtures.py with the same case definitions)."""

import base64
import importlib.util
import json
import os
import struct

import numpy as np
import pytest

import tapeflow as tf

ROOT = os.path.join(os.path.dirname(__file__), "..")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "io")
_spec = importlib.util.spec_from_file_location(
    "record_io_fixtures", os.path.join(ROOT, "tools", "record_io_fixtures.py"))
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

with open(os.path.join(FIXTURES, "cases.json")) as f:
    RECORDED = json.load(f)


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("io"))
    cases.write_inputs(tmp)
    results, serialized = cases.run_cases(tf, tmp)
    return results, serialized, tmp


def _same(a, b):
    """Recorded results equal: dtypes, shapes and values (floats to float32 precision)."""
    if isinstance(a, dict) and "values" in a:
        assert (a["dtype"], a["shape"]) == (b["dtype"], b["shape"])
        if a["dtype"].startswith("float"):
            np.testing.assert_allclose(np.array(a["values"], float), np.array(b["values"], float),
                                       rtol=1e-6)
        else:
            assert a["values"] == b["values"]
    elif isinstance(a, dict):
        assert sorted(a) == sorted(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    else:
        assert a == b


@pytest.mark.parametrize("name", sorted(RECORDED["results"]))
def test_matches_tf(ours, name):
    expected, got = RECORDED["results"][name], ours[0][name]
    if "error" in expected:
        assert "error" in got, got
        assert got["error"][0] == expected["error"][0]
        if name == "read_file/missing":  # the temporary folder differs
            assert got["error"][1].endswith("no-such-file; No such file or directory "
                                            "[Op:ReadFile]")
        else:
            assert got["error"][1] == expected["error"][1]
    else:
        assert "result" in got, got
        if isinstance(expected["result"], str):  # a repr
            assert got["result"] == expected["result"]
        else:
            _same(expected["result"], got["result"])


def test_examples_serialize_to_tf_bytes(ours):
    """One-feature Examples (no map order to differ) serialize to TF's exact bytes."""
    ours_single = [tf.train.Example(features=tf.train.Features(feature={k: _feature(*v)}))
                   .SerializeToString()
                   for spec in cases.example_specs() for k, v in sorted(spec.items())]
    assert ours_single == [base64.b64decode(s) for s in RECORDED["single_feature_examples"]]


def _feature(kind, values):
    cls = {"float_list": tf.train.FloatList, "int64_list": tf.train.Int64List,
           "bytes_list": tf.train.BytesList}[kind]
    if kind == "bytes_list":
        values = [v.encode() for v in values]
    return tf.train.Feature(**{kind: cls(value=values)})


@pytest.mark.parametrize("suffix, compression", [("", None), (".gz", "GZIP")])
def test_reads_tf_tfrecord_files(suffix, compression):
    path = os.path.join(FIXTURES, "examples.tfrecord" + suffix)
    records = [r.numpy() for r in tf.data.TFRecordDataset(path, compression_type=compression)]
    expected = [base64.b64decode(s) for s in RECORDED["serialized"]]
    assert [tf.train.Example.FromString(r) for r in records] == \
        [tf.train.Example.FromString(r) for r in expected]
    parsed = tf.train.Example.FromString(records[0])
    assert list(parsed.features.feature["s"].bytes_list.value) == [b"x", b"yy"]


@pytest.mark.parametrize("options", [None, "GZIP", "ZLIB", tf.io.TFRecordOptions("GZIP")])
def test_tfrecord_round_trip(tmp_path, options):
    path = str(tmp_path / "r.tfrecord")
    with tf.io.TFRecordWriter(path, options) as w:
        for r in [b"a", b"", b"xyz" * 100]:
            w.write(r)
    kind = tf.io.TFRecordOptions.get_compression_type_string(options)
    ds = tf.data.TFRecordDataset([path], compression_type=kind)
    assert [r.numpy() for r in ds] == [b"a", b"", b"xyz" * 100]
    files = tf.data.Dataset.from_tensor_slices([path, path])
    assert len(list(tf.data.TFRecordDataset(files, compression_type=kind))) == 6
    assert repr(ds) == "<TFRecordDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string, " \
                       "name=None)>"


def test_tfrecord_plain_file_is_tf_framing(tmp_path):
    path = str(tmp_path / "r.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        w.write(b"abc")
    data = open(path, "rb").read()
    assert struct.unpack("<Q", data[:8])[0] == 3 and data[12:15] == b"abc" and len(data) == 19
    # the same framing TF wrote in the fixture
    fixture = open(os.path.join(FIXTURES, "examples.tfrecord"), "rb").read()
    n = struct.unpack("<Q", fixture[:8])[0]
    assert fixture[:16 + n] == _frame(fixture[12:12 + n])


def _frame(record):
    from tapeflow.io.tfrecord import frame
    return frame(record)


def test_tfrecord_corrupt_and_missing(tmp_path):
    bad = tmp_path / "bad"
    bad.write_bytes(b"\x05" + b"\x00" * 20)
    with pytest.raises(tf.errors.DataLossError, match=r"corrupted record at 0 \(Is this even"):
        list(tf.data.TFRecordDataset(str(bad)))
    good = tmp_path / "good"
    with tf.io.TFRecordWriter(str(good)) as w:
        w.write(b"hello")
    data = bytearray(good.read_bytes())
    data[13] ^= 1
    bad.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="corrupted record at 0"):
        list(tf.data.TFRecordDataset(str(bad)))
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        list(tf.data.TFRecordDataset(str(tmp_path / "nope")))


def test_serialize_tensor_round_trip_and_tf_bytes(ours):
    for name, value in [("f32", tf.constant([[1.0, 2.0], [3.0, 4.5]])),
                        ("str", tf.constant(["a", "bc", ""])),
                        ("i32", tf.constant(3))]:
        expected = RECORDED["results"][f"serialize/{name}"]["result"]["values"][0]
        got = tf.io.serialize_tensor(value).numpy()
        assert got == expected.encode("latin-1")
        back = tf.io.parse_tensor(got, value.dtype)
        assert back.dtype == value.dtype and back.shape == value.shape
        assert back.numpy().tolist() == value.numpy().tolist()


def test_decode_raw_guide():
    out = tf.io.decode_raw(tf.constant("Duck"), tf.uint8)
    assert str(out) == "tf.Tensor([ 68 117  99 107], shape=(4,), dtype=uint8)"


def test_files_and_gfile(tmp_path):
    p = str(tmp_path / "sub" / "f.txt")
    tf.io.write_file(p, "hello")
    assert tf.io.read_file(p).numpy() == b"hello"
    g = tf.io.gfile
    assert g.exists(p) and not g.isdir(p) and g.isdir(str(tmp_path / "sub"))
    assert g.listdir(str(tmp_path / "sub")) == ["f.txt"]
    assert g.glob(str(tmp_path / "sub" / "*.txt")) == [p]
    assert tf.io.matching_files(str(tmp_path / "sub" / "*")).numpy().tolist() == [p.encode()]
    assert g.stat(p).length == 5 and not g.stat(p).is_directory
    with g.GFile(p) as f:
        assert f.read() == "hello"
    with g.GFile(p, "rb") as f:
        assert f.read() == b"hello"
    with g.GFile(p, "w") as f:
        f.write("a\nb\n")
    assert list(g.GFile(p)) == ["a\n", "b\n"]
    g.makedirs(str(tmp_path / "x" / "y"))
    g.copy(p, str(tmp_path / "x" / "c.txt"))
    with pytest.raises(tf.errors.AlreadyExistsError):
        g.copy(p, str(tmp_path / "x" / "c.txt"))
    g.rename(str(tmp_path / "x" / "c.txt"), str(tmp_path / "x" / "y" / "d.txt"))
    walked = [(os.path.relpath(d, tmp_path), sorted(s), sorted(f))
              for d, s, f in g.walk(str(tmp_path / "x"))]
    assert walked == [("x", ["y"], []), ("x/y", [], ["d.txt"])]
    g.remove(str(tmp_path / "x" / "y" / "d.txt"))
    g.rmtree(str(tmp_path / "x"))
    assert not g.exists(str(tmp_path / "x"))
    with pytest.raises(tf.errors.NotFoundError, match="Could not find directory"):
        g.listdir(str(tmp_path / "x"))
    with pytest.raises(tf.errors.NotFoundError):
        g.remove(str(tmp_path / "x"))


def test_parse_in_dataset_map(tmp_path):
    """The guide's pattern: TFRecordDataset -> map(parse_example on a batch of one)."""
    path = os.path.join(FIXTURES, "examples.tfrecord")

    def parse(record):
        ex = tf.io.parse_example(record[tf.newaxis], {
            "s": tf.io.VarLenFeature(tf.string),
            "a": tf.io.FixedLenFeature(shape=(3,), dtype=tf.float32)})
        return ex["a"][0], ex["s"].values
    out = list(tf.data.TFRecordDataset(path).map(parse))
    assert out[1][0].numpy().tolist() == [4.0, 5.5, -1.0]
    assert out[1][1].numpy().tolist() == [b"z"]


def test_sequence_example():
    se = tf.train.SequenceExample(
        context=tf.train.Features(feature={"b": _feature("int64_list", [7])}),
        feature_lists=tf.train.FeatureLists(feature_list={
            "f": tf.train.FeatureList(feature=[_feature("float_list", [1.0, 2.0]),
                                               _feature("float_list", [3.0, 4.0])]),
            "w": tf.train.FeatureList(feature=[_feature("bytes_list", ["a"]),
                                               _feature("bytes_list", ["b", "c"])])}))
    data = se.SerializeToString()
    context, lists = tf.io.parse_single_sequence_example(
        data, {"b": tf.io.FixedLenFeature([], tf.int64)},
        {"f": tf.io.FixedLenSequenceFeature([2], tf.float32),
         "w": tf.io.VarLenFeature(tf.string)})
    assert int(context["b"]) == 7
    assert lists["f"].numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert lists["w"].indices.numpy().tolist() == [[0, 0], [1, 0], [1, 1]]
    assert lists["w"].dense_shape.numpy().tolist() == [2, 2]
    context, lists, lengths = tf.io.parse_sequence_example(
        [data, data], None, {"f": tf.io.FixedLenSequenceFeature([2], tf.float32),
                             "w": tf.io.VarLenFeature(tf.string)})
    assert lists["f"].shape == (2, 2, 2) and lengths["f"].numpy().tolist() == [2, 2]
    assert lists["w"].dense_shape.numpy().tolist() == [2, 2, 2]


def test_make_csv_dataset_spec(ours):
    tmp = ours[2]
    ds = tf.data.experimental.make_csv_dataset(os.path.join(tmp, "people.csv"), batch_size=2,
                                               label_name="survived", shuffle=False,
                                               num_epochs=1)
    assert repr(ds.element_spec) == RECORDED["results"]["make_csv/spec"]["result"]
    forever = tf.data.experimental.make_csv_dataset(os.path.join(tmp, "people.csv"),
                                                    batch_size=4, label_name="survived")
    batches = list(forever.take(3))
    assert all(label.shape == (4,) for _, label in batches)


def test_ops_run_with_each_call_of_a_tf_function():
    """Inside tf.function the ops are graph nodes: a second call sees its own input."""
    def example(v):
        return tf.train.Example(features=tf.train.Features(feature={
            "a": _feature("int64_list", [v, v + 1])})).SerializeToString()

    @tf.function
    def parse(x):
        d = tf.io.parse_single_example(x, {"a": tf.io.FixedLenFeature([2], tf.int64),
                                           "b": tf.io.VarLenFeature(tf.int64)})
        return d["a"], d["b"].dense_shape

    assert parse(tf.constant(example(7)))[0].numpy().tolist() == [7, 8]
    a, shape = parse(tf.constant(example(8)))
    assert a.numpy().tolist() == [8, 9] and shape.numpy().tolist() == [0]
    raw = tf.function(lambda x: tf.io.decode_raw(x, tf.uint8))
    assert raw(tf.constant("Duck")).numpy().tolist() == [68, 117, 99, 107]
    assert raw(tf.constant("Goos")).numpy().tolist() == [71, 111, 111, 115]
    csv = tf.function(lambda x: tf.io.decode_csv(x, [[0], [1.0]]))
    assert csv(tf.constant(["3,4"]))[0].numpy().tolist() == [3]
    assert csv(tf.constant(["5,"]))[1].numpy().tolist() == [1.0]


@pytest.mark.parametrize("name", sorted(RECORDED["tensor_protos"]))
def test_parse_tensor_reads_tf_protos(name):
    """TensorProtos TF's make_tensor_proto wrote, with values in the typed *_val fields (one
    value filling the shape) as well as in tensor_content."""
    data, dtype, expected = RECORDED["tensor_protos"][name]
    got = cases.outcome(tf, lambda: tf.io.parse_tensor(base64.b64decode(data),
                                                       tf.as_dtype(dtype)))
    _same(expected["result"], got["result"])


def test_message_types_print_as_tf():
    assert str(type(tf.train.Example())) == \
        "<class 'tensorflow.core.example.example_pb2.Example'>"
    assert str(type(tf.train.Int64List())) == \
        "<class 'tensorflow.core.example.feature_pb2.Int64List'>"
    f = tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"a"]))
    f.int64_list.value.append(3)  # a oneof: setting one kind clears the other
    assert f.WhichOneof("kind") == "int64_list" and not f.HasField("bytes_list")


def test_guide_gaps_lazy_files_and_serialized_dtype(tmp_path):
    """data.ipynb: a CsvDataset over a missing file maps (its spec traced, as TF's) and fails only
    when iterated; parse_example of a non-string tensor is the conversion's ValueError eagerly
    (TF 2.21; the op's TypeError in a graph)."""
    ds = tf.data.experimental.CsvDataset(str(tmp_path / "missing.csv"), [999] * 4)
    mapped = ds.map(lambda *items: tf.stack(items))
    assert repr(mapped) == ("<_MapDataset element_spec=TensorSpec(shape=(4,), dtype=tf.int32, "
                            "name=None)>")
    # TF names the kernel after the iterator's one output (the stacked row), not the 4 columns
    with pytest.raises(tf.errors.NotFoundError, match=r"IteratorGetNext_output_types_1_device.*"
                                                      r"missing.csv; No such file or directory"):
        list(mapped)
    with pytest.raises(ValueError, match=r"^Tensor conversion requested dtype string for Tensor "
                                         r"with dtype int64: <tf.Tensor: shape=\(1, 1\)"):
        tf.io.parse_example(tf.constant([[0]], tf.int64),
                            {"a": tf.io.FixedLenFeature([], tf.int64)})

    @tf.function
    def parse(x):
        return tf.io.parse_example(x, {"a": tf.io.FixedLenFeature([], tf.int64)})
    with pytest.raises(TypeError, match="TypeError: Input 'serialized' of 'ParseExampleV2' Op "
                                        "has type int64 that does not match expected type of "
                                        "string.\n$"):  # in TF's "in user code" frame text
        parse(tf.constant([[0]], tf.int64))
