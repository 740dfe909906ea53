"""Time the training epoch of the NeuroMOP square task in batched PyTorch.

The workload is that of ``neuromop bench`` (``sim.RunBench``): the default
square configuration, one untimed warm-up epoch and three timed epochs. An
epoch steps 64 agents together for 50 steps, computing the 32 candidate
next states of all agents as one batch and scoring them as one batch with
the frozen target value network. It then fits the value network by
minibatch Adam (4 passes, batch 256) and evaluates 32 fresh agents for up
to 200 steps. Samples per second is the 64·50 training samples of each
timed epoch divided by the wall time of the timed epochs, evaluations
included. The random numbers differ from those of the Go code.

Run it from the repository root, on the CPU, and read the JSON object it
prints:

    python3 bench/pytorch/square_bench.py --threads 1 --dtype float64
"""

import argparse
import copy
import json
import math
import sys
import time

import torch

WARMUP_EPOCHS = 1
TIMED_EPOCHS = 3

# Defaults of the square task, as sim.DefaultConfig("square") sets them.
SEED = 1
N = 100  # neurons
DT_TAU = 0.1  # step length dt/τ
GAIN = 1.5  # coupling gain g
ACTION_BOUND = 2.0  # each action component is uniform in [−A, A]
HALF_WIDTH = 0.5  # terminal when abs(r_1) or abs(r_2) exceeds L
K = 32  # candidate actions per step
ALPHA = 1.0  # softmax temperature α
GAMMA = 0.9  # discount factor γ
LAYERS = 2  # hidden layers of the value network
UNITS = 32  # units per hidden layer
LEARNING_RATE = 1e-3
BATCH = 256
PASSES = 4
AGENTS = 64  # training agents M
STEPS = 50  # steps T per agent and epoch
EVAL_AGENTS = 32
EVAL_STEPS = 200
INITIAL_STD = 0.3  # initial currents h ~ N(0, 0.3²) per neuron

# Output scale of the value network: the value α·log K/(1−γ) of a
# never-ending path, so that the trained output stays of order 1.
VALUE_SCALE = ALPHA * math.log(K) / (1 - GAMMA)
# Largest minibatch loss taken as converging, as in sim/trainer.go.
MAX_LOSS = 1e6
SATURATION_LEVEL = 0.9
OCCUPANCY_BINS = 40
MARGIN_BINS = 8

# The parameters of the run under the names of the neuromop flags.
CONFIG_VALUES = {
    "task": "square", "agent": "mop", "seed": str(SEED), "n": str(N), "dt": str(DT_TAU),
    "g": str(GAIN), "phi": "tanh", "A": "2", "da": "0", "sigma": "0", "L": str(HALF_WIDTH),
    "K": str(K), "alpha": "1", "beta": "0", "gamma": str(GAMMA), "mu": "0",
    "layers": str(LAYERS), "units": str(UNITS), "hidden": "tanh", "opt": "adam",
    "lr": "0.001", "batch": str(BATCH), "passes": str(PASSES), "agents": str(AGENTS),
    "steps": str(STEPS), "eval-agents": str(EVAL_AGENTS), "eval-steps": str(EVAL_STEPS),
}


def is_terminal(r):
    """Return whether abs(r_1) or abs(r_2) exceeds L, over the last axis of r."""
    return (r[..., 0].abs() > HALF_WIDTH) | (r[..., 1].abs() > HALF_WIDTH)


class SquareTask:
    """Rate network with B = I whose first two neurons must stay in [−L, L]."""

    def __init__(self, dtype, generator):
        self.dtype = dtype
        # J has entries normal with variance 1/N. Row i of r @ Jᵀ is J·φ(h_i).
        coupling = torch.randn(N, N, generator=generator, dtype=dtype) / math.sqrt(N)
        self.coupling_transposed = coupling.T.contiguous()

    def candidates(self, h, r, generator):
        """Return the K candidate actions of each state in h (m×N) with
        their next states, activities and terminal flags.

        r is φ(h). Actions and next states are m×K×N, terminal flags m×K.
        """
        m = h.shape[0]
        base = h + DT_TAU * (-h + GAIN * (r @ self.coupling_transposed))
        actions = ACTION_BOUND * (2 * torch.rand(m, K, N, generator=generator, dtype=self.dtype) - 1)
        next_h = base.unsqueeze(1) + DT_TAU * actions
        next_r = torch.tanh(next_h)
        return actions, next_h, next_r, is_terminal(next_r)

    def reset(self, h, r, rows, generator):
        """Redraw h and r = φ(h) at the given rows until none is terminal."""
        while rows.numel() > 0:
            fresh = INITIAL_STD * torch.randn(rows.numel(), N, generator=generator, dtype=self.dtype)
            fresh_r = torch.tanh(fresh)
            h[rows] = fresh
            r[rows] = fresh_r
            rows = rows[is_terminal(fresh_r)]

    def initial_states(self, m, generator):
        h = torch.empty(m, N, dtype=self.dtype)
        r = torch.empty(m, N, dtype=self.dtype)
        self.reset(h, r, torch.arange(m), generator)
        return h, r


def make_value_net(dtype, generator):
    """Return the untrained value network without its output scale
    VALUE_SCALE: LAYERS tanh layers of UNITS units and one linear output.

    Weights are normal with variance 1/fan-in, with the standard deviation
    of the output layer divided by a further 10 so that the untrained
    output is near 0. Biases are 0.
    """
    sizes = [N] + [UNITS] * LAYERS + [1]
    modules = []
    for layer in range(len(sizes) - 1):
        linear = torch.nn.Linear(sizes[layer], sizes[layer + 1], dtype=dtype)
        std = 1 / math.sqrt(sizes[layer])
        if layer == len(sizes) - 2:
            std /= 10
        with torch.no_grad():
            linear.weight.normal_(0, std, generator=generator)
            linear.bias.zero_()
        modules.append(linear)
        if layer < len(sizes) - 2:
            modules.append(torch.nn.Tanh())
    return torch.nn.Sequential(*modules)


def soft_policy(q):
    """Return V = α·log Σ_k exp(Q_k/α) per row of q and the policy
    π_k = exp((Q_k − V)/α)."""
    value = ALPHA * torch.logsumexp(q / ALPHA, dim=1)
    return value, torch.exp((q - value.unsqueeze(1)) / ALPHA)


class Trainer:
    """Fitted value iteration of the MOP agent on the square task."""

    def __init__(self, dtype):
        self.dtype = dtype
        self.network_generator = torch.Generator().manual_seed(SEED)
        self.rollout_generator = torch.Generator().manual_seed(SEED + 1)
        self.shuffle_generator = torch.Generator().manual_seed(SEED + 2)
        self.task = SquareTask(dtype, self.network_generator)
        self.net = make_value_net(dtype, self.network_generator)
        self.target = copy.deepcopy(self.net).requires_grad_(False)
        self.learning_rate = LEARNING_RATE
        self.optimizer = torch.optim.Adam(self.net.parameters(), lr=self.learning_rate)
        self.h, self.r = self.task.initial_states(AGENTS, self.rollout_generator)
        self.samples_x = torch.empty(AGENTS * STEPS, N, dtype=dtype)
        self.samples_y = torch.empty(AGENTS * STEPS, dtype=dtype)
        self.notices = []

    def rollout(self):
        """Step the AGENTS agents for STEPS steps under the target network's
        policy, storing each visited state's features and Bellman target."""
        rows = torch.arange(AGENTS)
        non_finite = torch.zeros((), dtype=torch.int64)
        with torch.no_grad():
            for t in range(STEPS):
                _, next_h, next_r, terminal = self.task.candidates(self.h, self.r, self.rollout_generator)
                v = VALUE_SCALE * self.target(next_r.reshape(-1, N)).reshape(AGENTS, K)
                # A terminal next state is absorbing and has value 0.
                q = (GAMMA * v).masked_fill(terminal, 0.0)
                value, pi = soft_policy(q)
                finite = torch.isfinite(value)
                non_finite += (~finite).sum()
                lo = t * AGENTS
                self.samples_x[lo:lo + AGENTS] = self.r
                self.samples_y[lo:lo + AGENTS] = torch.where(finite, value, torch.zeros_like(value))
                pick = torch.multinomial(pi, 1, generator=self.rollout_generator).squeeze(1)
                self.h = next_h[rows, pick]
                self.r = next_r[rows, pick]
                ended = terminal[rows, pick]
                self.task.reset(self.h, self.r, rows[ended], self.rollout_generator)
        if non_finite.item() > 0:
            self.notices.append("non-finite value of the target network, counted as 0")
        return AGENTS * STEPS * K

    def fit(self):
        """Fit the value network to the rollout's samples by minibatch Adam
        and copy it into the target network.

        Return the mean minibatch loss, the samples fitted and the number of
        minibatches.
        """
        n = self.samples_y.shape[0]
        loss_sum, loss_count, samples, batches = 0.0, 0, 0, 0
        for _ in range(PASSES):
            order = torch.randperm(n, generator=self.shuffle_generator)
            for lo in range(0, n, BATCH):
                index = order[lo:lo + BATCH]
                x, y = self.samples_x[index], self.samples_y[index]
                self.optimizer.zero_grad()
                prediction = self.net(x).squeeze(1)
                # The loss is measured on the output divided by the value
                # scale, so that its size does not depend on that scale.
                loss = 0.5 * ((prediction - y / VALUE_SCALE) ** 2).mean()
                loss.backward()
                value = loss.item()
                converging = math.isfinite(value) and value <= MAX_LOSS
                if converging:
                    self.optimizer.step()
                weights = torch.nn.utils.parameters_to_vector(self.net.parameters())
                if converging and bool(torch.isfinite(weights).all()):
                    loss_sum += value
                    loss_count += 1
                else:
                    self.diverged(value)
                samples += index.numel()
                batches += 1
        self.target.load_state_dict(self.net.state_dict())
        return loss_sum / max(loss_count, 1), samples, batches

    def diverged(self, loss):
        """Restore the last epoch's weights, clear Adam's moments and
        divide the learning rate by 10."""
        self.net.load_state_dict(self.target.state_dict())
        self.learning_rate /= 10
        self.optimizer = torch.optim.Adam(self.net.parameters(), lr=self.learning_rate)
        self.notices.append(f"training diverged (loss {loss:.3g}): learning rate lowered to {self.learning_rate:g}")

    def evaluate(self):
        """Run EVAL_AGENTS fresh agents for up to EVAL_STEPS steps without
        training and return their metrics.

        The initial states and action draws are the same in every epoch.
        Only live agents are stepped, and the evaluation stops early when
        none is left, as in the Go code.
        """
        init_generator = torch.Generator().manual_seed(SEED + 3)
        act_generator = torch.Generator().manual_seed(SEED + 4)
        h, r = self.task.initial_states(EVAL_AGENTS, init_generator)
        ids = torch.arange(EVAL_AGENTS)
        lifetime = torch.full((EVAL_AGENTS,), EVAL_STEPS, dtype=torch.int64)
        ended = torch.zeros(EVAL_AGENTS, dtype=torch.bool)
        # Records indexed by step and agent. recorded[t, i] is true when
        # agent i survived step t.
        activity = torch.zeros(EVAL_STEPS, EVAL_AGENTS, N, dtype=self.dtype)
        action = torch.zeros(EVAL_STEPS, EVAL_AGENTS, N, dtype=self.dtype)
        entropy = torch.zeros(EVAL_STEPS, EVAL_AGENTS, dtype=self.dtype)
        recorded = torch.zeros(EVAL_STEPS, EVAL_AGENTS, dtype=torch.bool)
        agent_steps = 0
        with torch.no_grad():
            for t in range(EVAL_STEPS):
                m = ids.numel()
                agent_steps += m
                actions, next_h, next_r, terminal = self.task.candidates(h, r, act_generator)
                v = VALUE_SCALE * self.target(next_r.reshape(-1, N)).reshape(m, K)
                q = (GAMMA * v).masked_fill(terminal, 0.0)
                _, pi = soft_policy(q)
                step_entropy = -torch.special.xlogy(pi, pi).sum(dim=1) / math.log(K)
                pick = torch.multinomial(pi, 1, generator=act_generator).squeeze(1)
                rows = torch.arange(m)
                h, r = next_h[rows, pick], next_r[rows, pick]
                dead = terminal[rows, pick]
                live = ~dead
                live_ids = ids[live]
                activity[t, live_ids] = r[live]
                action[t, live_ids] = actions[rows, pick][live]
                entropy[t, live_ids] = step_entropy[live].clamp(0, 1)
                recorded[t, live_ids] = True
                if bool(dead.any()):
                    lifetime[ids[dead]] = t
                    ended[ids[dead]] = True
                    ids, h, r = live_ids, h[live], r[live]
                    if ids.numel() == 0:
                        break
        metrics = eval_metrics(activity, action, entropy, recorded, lifetime, ended)
        metrics["agent_steps"] = agent_steps
        metrics["candidates"] = agent_steps * K
        return metrics


def pooled_covariance(x, recorded, selected):
    """Return the covariance of deviations of x (steps×agents×d) from each
    selected agent's own mean over its recorded steps, pooled over the
    selected agents, or None with too few samples."""
    x, recorded = x[:, selected], recorded[:, selected]
    weight = recorded.unsqueeze(2).to(x.dtype)
    counts = recorded.sum(dim=0)
    means = (x * weight).sum(dim=0) / counts.clamp(min=1).unsqueeze(1).to(x.dtype)
    deviations = ((x - means) * weight).reshape(-1, x.shape[2])
    dof = int(counts.sum()) - int((counts > 0).sum())
    if dof < 1:
        return None
    return deviations.T @ deviations / dof


def participation_ratio(cov):
    if cov is None:
        return 0.0
    eigenvalues = torch.linalg.eigvalsh(cov).clamp(min=0)
    s2 = float((eigenvalues ** 2).sum())
    return float(eigenvalues.sum()) ** 2 / s2 if s2 > 0 else 0.0


def pearson(x, y):
    if x.numel() < 2 or bool((x == x[0]).all()) or bool((y == y[0]).all()):
        return 0.0
    dx, dy = x - x.mean(), y - y.mean()
    denominator = float((dx * dx).sum() * (dy * dy).sum())
    return float((dx * dy).sum()) / math.sqrt(denominator) if denominator > 0 else 0.0


def eval_metrics(activity, action, entropy, recorded, lifetime, ended):
    """Compute the evaluation metrics of sim.Stats.Metrics for the square
    task from the per-step records."""
    agents = lifetime.numel()
    readout = activity[..., :2]
    mask = recorded
    counts = mask.sum(dim=0)
    steps = int(counts.sum())
    metrics = {
        "survival": float((~ended).sum()) / agents,
        "mean_lifetime": float(lifetime.to(activity.dtype).mean()),
        "median_lifetime": float(torch.quantile(lifetime.to(activity.dtype), 0.5)),
    }
    if steps == 0:
        return metrics
    metrics["action_entropy"] = float(entropy[mask].sum()) / steps

    # Variability: standard deviation over time of each readout
    # component, averaged over the components and the agents.
    weight = mask.unsqueeze(2).to(activity.dtype)
    n = counts.to(activity.dtype).unsqueeze(1)
    means = (readout * weight).sum(dim=0) / n.clamp(min=1)
    squares = (((readout - means) * weight) ** 2).sum(dim=0)
    several = counts > 1
    std = (squares[several] / (n[several] - 1)).sqrt()
    metrics["variability"] = float(std.mean()) if bool(several.any()) else 0.0
    points = readout[mask]
    metrics["spread"] = float(points.std(dim=0, unbiased=True).mean()) if steps > 1 else 0.0

    # Action entropy against the distance from the square's boundary.
    margin = HALF_WIDTH - points.abs().amax(dim=1)
    step_entropy = entropy[mask]
    metrics["entropy_margin_correlation"] = pearson(margin, step_entropy)
    top = float(margin.max())
    if top > 0:
        inside_square = margin >= 0
        bins = (margin[inside_square] / top * MARGIN_BINS).long().clamp(max=MARGIN_BINS - 1)
        totals = torch.zeros(MARGIN_BINS, dtype=activity.dtype).index_add_(0, bins, step_entropy[inside_square])
        binned = torch.bincount(bins, minlength=MARGIN_BINS)
        metrics["entropy_by_margin"] = (totals / binned.clamp(min=1)).tolist()

    selected = (~ended).nonzero().squeeze(1)
    if selected.numel() == 0:
        selected = torch.arange(agents)
    metrics["effective_dim"] = participation_ratio(pooled_covariance(activity, recorded, selected))
    action_cov = pooled_covariance(action, recorded, selected)
    metrics["action_effective_dim"] = participation_ratio(action_cov)
    live_activity = activity[mask]
    metrics["energy"] = float((live_activity ** 2).mean(dim=1).sum()) / steps
    if action_cov is not None and float(action_cov.trace()) > 0:
        # With B = I and the readout rows e_1 and e_2, the injected variance
        # along the readout is the first two diagonal entries.
        along = float(action_cov[0, 0] + action_cov[1, 1])
        metrics["null_space_fraction"] = min(1.0, max(0.0, 1 - along / float(action_cov.trace())))
    saturated = (live_activity.abs() > SATURATION_LEVEL).to(activity.dtype).mean(dim=1)
    metrics["saturated_fraction"] = float(saturated.sum()) / steps

    # Occupancy histogram of the readout over the square with a margin of
    # a tenth of its width.
    lo, hi = -HALF_WIDTH - 0.2 * HALF_WIDTH, HALF_WIDTH + 0.2 * HALF_WIDTH
    fraction = (points - lo) / (hi - lo)
    inside = ((fraction >= 0) & (fraction < 1)).all(dim=1)
    cells = (fraction[inside] * OCCUPANCY_BINS).long()
    occupancy = torch.bincount(cells[:, 1] * OCCUPANCY_BINS + cells[:, 0], minlength=OCCUPANCY_BINS ** 2)
    metrics["occupied_cells"] = int((occupancy > 0).sum())
    return metrics


def epoch_flops():
    """Estimate the floating-point operations of one epoch's rollout and
    fit as sim.EpochFlops counts them, a multiply-add as two."""
    sizes = [N] + [UNITS] * LAYERS + [1]
    forward = sum(a * b for a, b in zip(sizes, sizes[1:]))
    step = K * forward + N * N + K * N
    fit_sample = 3 * forward - sizes[0] * sizes[1]
    return 2 * AGENTS * STEPS * (step + PASSES * fit_sample)


def loaded_blas():
    """Return the file names of the BLAS libraries mapped into this process,
    read from /proc/self/maps, or an empty list where that file is missing."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower()}
    except OSError:
        return []
    return sorted(path.rsplit("/", 1)[-1] for path in paths)


def run_epoch(trainer, seconds):
    """Train and evaluate one epoch and return its work and metrics.

    The wall time of each phase is added to the dict seconds.
    """
    start = time.perf_counter()
    candidates = trainer.rollout()
    rolled = time.perf_counter()
    loss, fit_samples, fit_batches = trainer.fit()
    fitted = time.perf_counter()
    metrics = trainer.evaluate()
    evaluated = time.perf_counter()
    seconds["rollout"] += rolled - start
    seconds["fit"] += fitted - rolled
    seconds["eval"] += evaluated - fitted
    return {
        "rollout_candidates": candidates,
        "fit_samples": fit_samples,
        "fit_batches": fit_batches,
        "loss": loss,
        "eval": metrics,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="number of threads that torch.set_num_threads sets")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                        help="floating-point type of every tensor")
    parser.add_argument("--epochs", type=int, default=TIMED_EPOCHS,
                        help="number of timed epochs after the warm-up epoch; the benchmark uses %(default)s")
    parser.add_argument("--profile", action="store_true",
                        help="print a torch.profiler table of the timed epochs to standard error; "
                             "the profiler slows the run, so its timings are not benchmark figures")
    args = parser.parse_args()
    if args.threads < 1 or args.epochs < 1:
        parser.error("--threads and --epochs must be at least 1")

    torch.set_num_threads(args.threads)
    trainer = Trainer(getattr(torch, args.dtype))
    print(f"square_bench: {WARMUP_EPOCHS} warm-up and {args.epochs} timed epochs of task square, "
          f"{AGENTS} agents × {STEPS} steps, K = {K}, {args.dtype}, {args.threads} threads", file=sys.stderr)
    warmup_seconds = {"rollout": 0.0, "fit": 0.0, "eval": 0.0}
    warmup = [run_epoch(trainer, warmup_seconds) for _ in range(WARMUP_EPOCHS)]

    seconds = {"rollout": 0.0, "fit": 0.0, "eval": 0.0}
    profiler = None
    if args.profile:
        profiler = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU])
        profiler.start()
    epochs = [run_epoch(trainer, seconds) for _ in range(args.epochs)]
    if profiler is not None:
        profiler.stop()
        print(profiler.key_averages().table(sort_by="self_cpu_time_total", row_limit=30), file=sys.stderr)

    total = sum(seconds.values())
    samples = args.epochs * AGENTS * STEPS
    work = seconds["rollout"] + seconds["fit"]
    result = {
        "samples_per_second": samples / total,
        "ns_per_controller_step": seconds["rollout"] * 1e9 / samples,
        "gflops": args.epochs * epoch_flops() / work / 1e9,
        "epochs": args.epochs,
        "samples": samples,
        "seconds": total,
        "phase_seconds": seconds,
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "dtype": args.dtype,
        "blas": loaded_blas(),
        "warmup_epochs": warmup,
        "timed_epochs": epochs,
        "notices": trainer.notices,
        "config": CONFIG_VALUES,
    }
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
