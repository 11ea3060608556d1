"""An ADB device simulator that adb clients reach over the real adb host protocol.

It ships in the library so that users can test their own Android workflows without a
device or an emulator::

    from screenpilot.environments.android.simulator import AdbSimulator, SimConfig, SimDevice

    with AdbSimulator(SimDevice(SimConfig(adb_keyboard=True))) as sim:
        client = adbutils.AdbClient(host="127.0.0.1", port=sim.port)
        client.device(sim.serial).shell("input tap 100 200")
        sim.device.state  # ground truth
"""

from screenpilot.environments.android.simulator.device import SimConfig, SimDevice
from screenpilot.environments.android.simulator.server import AdbSimulator

__all__ = ["AdbSimulator", "SimConfig", "SimDevice"]
