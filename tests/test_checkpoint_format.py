"""TensorFlow's checkpoint file format: the sorted table, the tensor bundle and its protos, read
from files real TensorFlow 2.21 wrote (tests/fixtures/checkpoint, tools/record_checkpoint_fixtures.py)
and written back byte for byte."""

import io
import json
import os
import shutil

import numpy as np
import pytest

pytest.importorskip("google.protobuf")
pytest.importorskip("crc32c")

import tapeflow as tf  # noqa: E402
from tapeflow.train import _protos  # noqa: E402
from tapeflow.train._bundle import BundleReader, BundleWriter  # noqa: E402
from tapeflow.train._table import TableWriter, read_table  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "checkpoint")
GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def fixture(case):
    with open(os.path.join(FIXTURES, case, "manifest.json")) as f:
        manifest = json.load(f)
    return (os.path.join(FIXTURES, case, manifest["prefix"]), manifest,
            np.load(os.path.join(FIXTURES, case, "expected.npz")))


@pytest.mark.parametrize("case", ["dtypes", "modules", "manager", "keras"])
def test_reads_every_tensor_tf_wrote(case):
    prefix, manifest, expected = fixture(case)
    reader = BundleReader(prefix)
    assert sorted(reader.entries) == sorted(manifest["variables"])
    for key, shape in manifest["variables"].items():
        assert reader.shape(key) == shape
        assert reader.dtype_name(key) == manifest["dtypes"][key]
        if key == GRAPH_KEY:
            continue
        value = reader.read(key)
        if manifest["dtypes"][key] == "string":
            assert value.dtype == object
            value = value.astype("S")
        else:
            assert value.dtype == expected[key].dtype
        np.testing.assert_array_equal(value, expected[key])


def test_object_graph_parses_as_tf_printed_it():
    from google.protobuf import text_format
    prefix, manifest, _ = fixture("modules")
    graph = _protos.TrackableObjectGraph.FromString(BundleReader(prefix).read(GRAPH_KEY)[()])
    assert text_format.MessageToString(graph) == manifest["object_graph"]


def test_rewriting_tf_bundle_gives_identical_bytes(tmp_path):
    prefix, _, _ = fixture("dtypes")
    reader = BundleReader(prefix)
    writer = BundleWriter(str(tmp_path / "ckpt"))
    for key in sorted(k for k in reader.entries if k != GRAPH_KEY) + [GRAPH_KEY]:
        writer.add(key, reader.read(key), reader.dtype_name(key))
    writer.finish()
    writer.commit()
    for suffix in (".index", ".data-00000-of-00001"):
        with open(prefix + suffix, "rb") as a, open(str(tmp_path / "ckpt") + suffix, "rb") as b:
            assert a.read() == b.read(), suffix
    assert sorted(os.listdir(tmp_path)) == ["ckpt.data-00000-of-00001", "ckpt.index"]


def test_table_with_many_blocks_and_restarts_round_trips():
    keys = sorted({f"k{i * 7919 % 1000:04d}/{'x' * (i % 5)}".encode() for i in range(600)})
    f = io.BytesIO()
    table = TableWriter(f, block_size=256)
    for k in keys:
        table.add(k, k[::-1] * 3)
    table.finish()
    assert read_table(f.getvalue(), "t") == [(k, k[::-1] * 3) for k in keys]
    with pytest.raises(ValueError, match="increasing order"):
        table.add(keys[0], b"")


def _copy(case, tmp_path):
    prefix, _, _ = fixture(case)
    for name in os.listdir(os.path.dirname(prefix)):
        shutil.copy(os.path.join(os.path.dirname(prefix), name), tmp_path)
    return str(tmp_path / os.path.basename(prefix))


def _damage(path, fn):
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(fn(data))


@pytest.mark.parametrize("how", [lambda d: d[:-3], lambda d: d[:20], lambda d: b"",
                                 lambda d: d[:5] + bytes([d[5] ^ 1]) + d[6:],
                                 lambda d: d[:-50] + bytes([d[-50] ^ 4]) + d[-49:]])
def test_damaged_index_raises_data_loss_naming_it(tmp_path, how):
    prefix = _copy("dtypes", tmp_path)
    _damage(prefix + ".index", how)
    with pytest.raises(tf.errors.DataLossError, match=r"ckpt\.index"):
        BundleReader(prefix)


@pytest.mark.parametrize("how", [lambda d: d[:-1], lambda d: d[:7],
                                 lambda d: bytes([d[0] ^ 0x10]) + d[1:],
                                 lambda d: d[:-30] + bytes([d[-30] ^ 2]) + d[-29:]])
def test_damaged_data_raises_data_loss_naming_it(tmp_path, how):
    prefix = _copy("dtypes", tmp_path)
    _damage(prefix + ".data-00000-of-00001", how)
    reader = BundleReader(prefix)
    with pytest.raises(tf.errors.DataLossError, match=r"ckpt\.data-00000-of-00001"):
        for key in reader.entries:
            reader.read(key)


def test_missing_checkpoint_is_not_found(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files for"):
        BundleReader(str(tmp_path / "nothing"))


def test_state_file_text_is_tfs():
    from google.protobuf import text_format
    with open(os.path.join(FIXTURES, "manager", "checkpoint")) as f:
        text = f.read()
    state = _protos.CheckpointState()
    text_format.Parse(text, state)
    assert len(state.all_model_checkpoint_timestamps) == 2
    assert text_format.MessageToString(state) == text
