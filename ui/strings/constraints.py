"""Strings of the Fit page's Constraints expander and of a constrained result (EN, ZH)."""

from __future__ import annotations

EN: dict[str, str] = {
    "constraints.expander": "Constraints",
    "constraints.help": (
        "Hold constants of L = E + A/N^α + B/D^β fixed, fit one exponent for both N and D, or keep "
        "constants within bounds. The fit, its bootstrap intervals and the starts all respect them."
    ),
    "constraints.tie": "Tie the exponents (α = β)",
    "constraints.tie_help": (
        "One exponent for N and D, as in Muennighoff et al. (2023) and Gadre et al. (2024): 4 constants instead of 5."
    ),
    "constraints.fix": "Fix constants",
    "constraints.fix_help": "Each constant chosen here is held at the value you give and not fitted.",
    "constraints.fix_value": "{name} fixed at",
    "constraints.bound": "Bound constants",
    "constraints.bound_help": "Each constant chosen here is kept within the range you give; it may end on a bound.",
    "constraints.lo": "{name} at least",
    "constraints.hi": "{name} at most",
    "constraints.positive_note": "E, A and B are positive: a lower bound of 0 leaves them unbounded below.",
    "constraints.summary": "Constrained fit: {parts}. {n} of 5 constants fitted.",
    "constraints.part.tied": "α = β (tied)",
    "constraints.part.fixed": "{name} fixed at {value}",
    "constraints.part.bounded": "{name} within [{lo}, {hi}]",
    "constraints.at_bound": "{name} ended on its bound ({value}): the data pull it further; widen the bound to see where.",
    "constraints.fixed_cell": "fixed",
    "constraints.tied_cell": "= α (tied)",
    "constraints.error.unknown_constant": "Unknown constant {name}: use E, A, B, α or β.",
    "constraints.error.empty_bounds": "The bounds of {name} need a lower end below the upper end (now {lo} to {hi}).",
    "constraints.error.negative_bounds": "{name} is positive: its bounds must be 0 or more (now {lo} to {hi}).",
    "constraints.error.fixed_not_positive": "{name} must be positive to be fixed (now {value}).",
    "constraints.error.fixed_not_finite": "{name} must be fixed to a finite number.",
    "constraints.error.fixed_outside_bounds": (
        "{name} is fixed at {value}, outside its bounds {lo} to {hi}: widen the bounds or change the value."
    ),
    "constraints.error.tie_conflict": (
        "α = β is tied, but α is fixed at {alpha} and β at {beta}: fix only one of them, or untie them."
    ),
    "constraints.error.tie_empty": "α = β is tied, but the bounds of α and β do not overlap: widen one of them.",
    "constraints.error.nothing_free": "Every constant is fixed: nothing is left to fit. Release at least one.",
    "constraints.error.other": "This constraint cannot be fitted: {message}",
}

ZH: dict[str, str] = {
    "constraints.expander": "约束",
    "constraints.help": (
        "固定 L = E + A/N^α + B/D^β 中的常数、让 N 和 D 共用一个指数，或把常数限制在区间内。"
        "拟合、自助法区间和初始点都遵守这些约束。"
    ),
    "constraints.tie": "令两个指数相等（α = β）",
    "constraints.tie_help": (
        "N 和 D 共用一个指数，如 Muennighoff et al. (2023) 和 Gadre et al. (2024)：4 个常数而不是 5 个。"
    ),
    "constraints.fix": "固定常数",
    "constraints.fix_help": "这里选中的每个常数都保持为你给出的数值，不参与拟合。",
    "constraints.fix_value": "{name} 固定为",
    "constraints.bound": "限定常数范围",
    "constraints.bound_help": "这里选中的每个常数都限制在你给出的区间内；结果可能落在边界上。",
    "constraints.lo": "{name} 下限",
    "constraints.hi": "{name} 上限",
    "constraints.positive_note": "E、A、B 都是正数：下限为 0 表示下方不设限。",
    "constraints.summary": "约束拟合：{parts}。拟合了 5 个常数中的 {n} 个。",
    "constraints.part.tied": "α = β（相等）",
    "constraints.part.fixed": "{name} 固定为 {value}",
    "constraints.part.bounded": "{name} 在 [{lo}, {hi}] 内",
    "constraints.at_bound": "{name} 停在边界上（{value}）：数据还想把它推得更远；放宽边界可以看到推向何处。",
    "constraints.fixed_cell": "固定",
    "constraints.tied_cell": "= α（相等）",
    "constraints.error.unknown_constant": "未知常数 {name}：请使用 E、A、B、α 或 β。",
    "constraints.error.empty_bounds": "{name} 的下限必须小于上限（当前为 {lo} 到 {hi}）。",
    "constraints.error.negative_bounds": "{name} 是正数：其边界必须大于或等于 0（当前为 {lo} 到 {hi}）。",
    "constraints.error.fixed_not_positive": "{name} 必须为正数才能固定（当前为 {value}）。",
    "constraints.error.fixed_not_finite": "{name} 必须固定为有限的数值。",
    "constraints.error.fixed_outside_bounds": "{name} 固定为 {value}，超出了其边界 {lo} 到 {hi}：请放宽边界或修改数值。",
    "constraints.error.tie_conflict": "已令 α = β，但 α 固定为 {alpha}、β 固定为 {beta}：只固定其中一个，或取消相等。",
    "constraints.error.tie_empty": "已令 α = β，但 α 与 β 的边界没有交集：请放宽其中一个。",
    "constraints.error.nothing_free": "所有常数都已固定，没有可拟合的常数。请至少放开一个。",
    "constraints.error.other": "无法按此约束拟合：{message}",
}
