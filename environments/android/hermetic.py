"""A hermetic Android environment: the shipped adb simulator, owned by the environment.

The simulator listens on 127.0.0.1 on a free port and the environment talks to it over the
real adb host protocol, so everything above the socket is the code that drives real phones.
"""

from __future__ import annotations

from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.options import AndroidOptions
from screenpilot.environments.android.simulator import AdbSimulator, SimConfig, SimDevice

# Swipes block for a fiftieth of the asked time: the contract checks shapes, not timing.
_TIME_SCALE = 0.02


class SimulatedPhone(AndroidEnvironment):
    """An :class:`AndroidEnvironment` on its own :class:`AdbSimulator`; closing one stops both.

    Args:
        simulator: A started simulator, owned from now on.
        options: Options of the environment (``port`` must be the simulator's).
    """

    def __init__(self, simulator: AdbSimulator, options: AndroidOptions) -> None:
        self.simulator = simulator
        super().__init__(options)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.simulator.stop()


def simulated_phone() -> SimulatedPhone:
    """The registry's hermetic factory for ``android``: a fresh simulated phone."""
    simulator = AdbSimulator(SimDevice(SimConfig(time_scale=_TIME_SCALE))).start()
    try:
        return SimulatedPhone(simulator, AndroidOptions(port=simulator.port, reconnect_timeout_s=5.0))
    except BaseException:
        simulator.stop()
        raise
