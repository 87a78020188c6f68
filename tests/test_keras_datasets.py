"""tf.keras.datasets against real Keras 3.15: the loaders read stand-in files (same names and
formats as the downloads, written by tests/keras_datasets_cases.py into a temporary Keras cache)
and must return what Keras returned for the same files
(tools/record_keras_datasets_fixtures.py): values, dtypes, shapes, order, errors. Offline: the
hash check is off for the stand-ins and any download attempt fails."""

import json
import pathlib
import tempfile
import urllib.error
import urllib.request

import pytest

import keras_datasets_cases as cases
import tapeflow as tf
from tapeflow.keras.utils import _files

RESULTS = json.loads((pathlib.Path(__file__).parent / "fixtures" / "keras_datasets" /
                      "results.json").read_text())


@pytest.fixture(scope="module")
def home():
    # removed at the end, not kept by pytest: CIFAR-10's stand-in extracts to 150 MB
    with tempfile.TemporaryDirectory(prefix="keras_home_") as folder:
        cases.write_cache(folder)
        yield folder


@pytest.fixture
def offline(home, monkeypatch):
    def no_network(url, *args, **kwargs):
        raise urllib.error.URLError(cases.NO_NETWORK)
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(urllib.request, "urlretrieve", no_network)
    monkeypatch.setattr(_files, "_matches", lambda *args: True)  # stand-ins: other hashes


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_matches_keras(name, offline):
    assert cases.run(tf.keras, name) == RESULTS[name]


def test_missing_file_offline_names_the_url(offline):
    with pytest.raises(Exception, match="URL fetch failure on https://storage.googleapis.com/"
                       "tensorflow/tf-keras-datasets/imdb.npz"):
        tf.keras.datasets.imdb.load_data(path="absent.npz")


def test_namespace():
    assert dir(tf.keras.datasets) == ["boston_housing", "california_housing", "cifar10",
                                      "cifar100", "fashion_mnist", "imdb", "mnist", "reuters"]
    assert dir(tf.keras.datasets.reuters) == ["get_label_names", "get_word_index", "load_data"]
    assert len(tf.keras.datasets.reuters.get_label_names()) == 46
