"""Planning a training run: hardware, time and cost, memory, model shape, learning rate and batch
size, and the optima beyond Chinchilla (data-constrained, inference-aware).

Import the modules themselves (`from scaling_core.planning.hparams import deepseek_learning_rate`):
this package imports nothing eagerly, so scaling_core.compute can read the accelerator catalog
without an import cycle.

    hparams          learning rate and batch size laws (DeepSeek 2024, Kaplan 2020, Step Law 2025)
    data_constrained Muennighoff et al. 2023: repeated data and excess parameters
    inference        Sardana et al. 2024: training plus inference FLOPs at a target loss
    hardware         the accelerator catalog (data/accelerators.csv), time and cost
    memory           training memory per accelerator (ZeRO stages, activations)
    shape            a transformer shape (n_layer, d_model, heads) for a parameter count
    plan             plan_run(...) -> Plan, used by the Plan page and the command line
"""
