"""``tf.experimental.dtensor``: meshes, layouts and DTensors on logical CPU devices, in one
process (see docs/dtensor.md)."""

from .api import (  # noqa: F401
    DVariable, barrier, call_with_layout, check_layout, client_id, copy_to_mesh,
    create_distributed_mesh, create_mesh, default_mesh, device_name, fetch_layout, full_job_name,
    get_default_mesh, heartbeat_enabled, initialize_accelerator_system, initialize_multi_client,
    initialize_tpu_system, is_dtensor, job_name, jobs, local_devices, num_clients,
    num_global_devices, num_local_devices, pack, preferred_device_type, relayout, relayout_like,
    run_on, shutdown_accelerator_system, shutdown_tpu_system, unpack)
from .layout import MATCH, UNSHARDED, Layout, Mesh  # noqa: F401
