// Package sim simulates NeuroMOP: a rate network with fixed random weights,
// driven by a controller that injects currents to maximize future
// action-state entropy while avoiding terminal states.
//
// The network step, for currents h ∈ R^N and activities r = φ(h), is
//
//	h' = h + (dt/τ)·(−h + g·J·φ(h) + B·a + C·c) + σ·sqrt(dt/τ)·ξ
//
// Each step the controller draws K candidate actions, computes every
// candidate's next state exactly, and scores it with a value network V.
// The MOP policy is π(k|h) ∝ exp(Q_k/α), with
//
//	Q_k  = β·H_s(h, a_k) + μ·r(h'_k) + γ·V(h'_k)   (Q_k = 0 if h'_k is terminal)
//	V(h) = α·log Σ_k exp(Q_k/α)
//
// V is trained by fitted value iteration against a frozen target copy.
//
// Every random draw comes from the run's seed through streams of this
// package, and the transcendental functions used by the simulation are
// implemented here in portable Go, so a seeded run gives bit-identical
// numbers natively on amd64 and in WebAssembly.
//
// The package imports neither Ebiten nor syscall/js: the CLI, the tests and
// the browser run the same code.
package sim
