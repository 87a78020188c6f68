"""tf.config.optimizer and tf.config.experimental's device settings: accepted and reported as
TensorFlow 2.21 reports them (the expected texts are TF's output for the same calls)."""

import pytest

import tapeflow as tf
from tapeflow.framework import device_config as config_devices
from tapeflow.framework import optimizer_options as config_optimizer


@pytest.fixture(autouse=True)
def fresh():
    saved = dict(config_devices._state)
    config_optimizer._options.clear()
    yield
    config_optimizer._options.clear()
    config_optimizer._jit[0] = False
    config_devices._state.update(saved)


def test_experimental_options_order_and_unset():
    opt = tf.config.optimizer
    assert opt.get_experimental_options() == {'disable_model_pruning': False,
                                              'disable_meta_optimizer': False}
    opt.set_experimental_options({'constant_folding': False})
    assert str(opt.get_experimental_options()) == (
        "{'constant_folding': False, 'disable_model_pruning': False, "
        "'disable_meta_optimizer': False}")
    opt.set_experimental_options({'constant_folding': True, 'debug_stripper': True,
                                  'layout_optimizer': False, 'min_graph_nodes': 3,
                                  'disable_meta_optimizer': True, 'auto_mixed_precision': True,
                                  'scoped_allocator_optimization': False, 'bogus': 1})
    want = ("{'layout_optimizer': False, 'constant_folding': True, 'debug_stripper': True, "
            "'disable_model_pruning': False, 'scoped_allocator_optimization': False, "
            "'auto_mixed_precision': True, 'disable_meta_optimizer': True, 'min_graph_nodes': 3}")
    assert str(opt.get_experimental_options()) == want
    opt.set_experimental_options({'constant_folding': None})  # None unsets
    assert 'constant_folding' not in opt.get_experimental_options()


def test_jit():
    opt = tf.config.optimizer
    assert opt.get_jit() == ''
    opt.set_jit(True)
    assert opt.get_jit() == 'autoclustering'
    opt.set_jit(False)
    assert opt.get_jit() == ''
    opt.set_jit('autoclustering')
    assert opt.get_jit() == 'autoclustering'


def test_virtual_cpus():
    exp = tf.config.experimental
    cpu, = tf.config.list_physical_devices("CPU")
    config_devices._state.update(virtual=None, initialized=False)
    assert exp.get_virtual_device_configuration(cpu) is None
    conf = exp.VirtualDeviceConfiguration()
    assert repr(conf) == ("LogicalDeviceConfiguration(memory_limit=None, "
                          "experimental_priority=None, experimental_device_ordinal=None)")
    exp.set_virtual_device_configuration(cpu, [conf] * 3)
    assert tf.config.get_logical_device_configuration(cpu) == [conf] * 3
    assert str(tf.config.list_logical_devices("CPU")) == (
        "[LogicalDevice(name='/device:CPU:0', device_type='CPU'), LogicalDevice(name="
        "'/device:CPU:1', device_type='CPU'), LogicalDevice(name='/device:CPU:2', "
        "device_type='CPU')]")
    with pytest.raises(RuntimeError, match="^Virtual devices cannot be modified after being "
                       "initialized$"):
        exp.set_virtual_device_configuration(cpu, [conf])
    with pytest.raises(ValueError, match="^Cannot set memory growth on device when virtual "
                       "devices configured$"):
        exp.set_memory_growth(cpu, True)
    assert exp.get_device_details(cpu) == {}
    assert exp.tensor_float_32_execution_enabled() is True


def test_debug_stripper_leaves_out_checks_in_traced_graphs(capsys):
    def body(x):
        tf.print("printed", x)
        tf.debugging.assert_positive(x)
        tf.Assert(x > 0, [x])
        return tf.debugging.check_numerics(x, "bad") * 2

    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.function(body)(tf.constant(-1.0))
    tf.config.optimizer.set_experimental_options({"debug_stripper": True})
    f = tf.function(body)
    assert f(tf.constant(-1.0)).numpy() == -2.0
    assert f(tf.constant(float("inf"))).numpy() == float("inf")
    with pytest.raises(tf.errors.InvalidArgumentError):  # eager ops still check
        body(tf.constant(-1.0))
    assert capsys.readouterr().err == "printed -1\n" * 2  # the unstripped graph, eager


def test_placement_policy_memory_and_threading_settings():
    """As TF 2.21 answers them on a machine with one CPU (recorded by hand from TF)."""
    assert tf.config.get_soft_device_placement() is True
    tf.config.set_soft_device_placement(False)
    assert tf.config.get_soft_device_placement() is False
    exp = tf.config.experimental
    assert exp.get_device_policy() == "silent"
    exp.set_device_policy("explicit")
    assert exp.get_device_policy() == "explicit"
    exp.set_device_policy(None)
    assert exp.get_device_policy() == "silent"
    with pytest.raises(ValueError, match="Invalid argument `device_policy`: 'bogus'"):
        exp.set_device_policy("bogus")
    exp.set_synchronous_execution(False)
    assert exp.get_synchronous_execution() is False
    assert exp.get_memory_info("CPU:0") == {"current": 0, "peak": 0} == exp.get_memory_info(
        "/device:CPU:0")
    assert exp.get_memory_usage("CPU:0") == 0 and exp.reset_memory_stats("CPU:0") is None
    with pytest.raises(ValueError, match="No matching devices found for 'GPU:0'"):
        exp.get_memory_info("GPU:0")
    assert tf.config.get_visible_devices() == tf.config.list_physical_devices()
    assert tf.config.experimental_functions_run_eagerly() is False


def test_intra_op_threads_cap_numpys_blas():
    from tapeflow.framework import blas
    threading = tf.config.threading
    assert threading.get_inter_op_parallelism_threads() == 0
    before = blas.blas_threads()
    try:
        threading.set_intra_op_parallelism_threads(1)
        assert threading.get_intra_op_parallelism_threads() == 1
        assert blas.blas_threads() == [1] * len(before)
        threading.set_inter_op_parallelism_threads(3)
        assert threading.get_inter_op_parallelism_threads() == 3
    finally:
        threading.set_inter_op_parallelism_threads(0)
        threading.set_intra_op_parallelism_threads(0)
        blas.limit_loaded_blas(before[0])
