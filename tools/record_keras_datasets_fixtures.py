"""Run tests/keras_datasets_cases.py on real Keras 3 (TF 2.21's tf.keras) against the stand-in
files it writes into a temporary Keras cache, and store what each call returned (or raised) in
tests/fixtures/keras_datasets/results.json. The stand-ins cannot match the real files' hashes,
so the hash check is switched off, and every download fails (no network). Run with real
TensorFlow's environment (a yardstick only, never a dependency):
    /work/tfenv/bin/python tools/record_keras_datasets_fixtures.py
"""

import json
import os
import pathlib
import sys
import tempfile
import urllib.error

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main():
    with tempfile.TemporaryDirectory(prefix="keras_home_") as home:
        os.environ["KERAS_HOME"] = home  # Keras reads it once, at import
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import keras
        from keras.src.utils import file_utils

        import keras_datasets_cases as cases

        def offline(url, *args, **kwargs):
            raise urllib.error.URLError(cases.NO_NETWORK)

        file_utils.validate_file = lambda *args, **kwargs: True
        file_utils.urlretrieve = offline
        cases.write_cache(home)
        results = {name: cases.run(keras, name) for name in cases.CASES}
    results["keras_version"] = keras.__version__
    folder = ROOT / "tests" / "fixtures" / "keras_datasets"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print(f"{len(results) - 1} cases recorded with Keras {keras.__version__}")


if __name__ == "__main__":
    main()
