"""UI strings in English and Simplified Chinese.

Numbers, formulas and citations are not translated. Every key in EN must exist in ZH
(tests/test_i18n.py checks it, and that both sides take the same {placeholders}).
"""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANG = "en"

EN: dict[str, str] = {
    # shell
    "app.title": "Scaling Law Explorer",
    "app.tagline": "Neural scaling laws of language models: explore them, fit them to your runs, share the view.",
    "sidebar.language": "Language / 语言",
    "nav.home": "Home",
    "nav.explorer": "Law Explorer",
    "nav.frontiers": "Frontiers",
    "nav.fit": "Fit your runs",
    "nav.extrapolate": "Extrapolate",
    "sidebar.share": "Every control is stored in the address bar: copy the URL to share this exact view.",
    "url.ignored": "Ignored URL parameter `{key}` = `{value}`: {reason}. Using the default instead.",
    "url.expect_range": "expected a number from {lo} to {hi}",
    "url.expect_choice": "expected one of {choices}",
    "url.expect_pair": "expected two numbers from {lo} to {hi}",
    # landing
    "home.intro": (
        "A scaling law predicts the loss of a language model from its size N (parameters) and its "
        "training data D (tokens). This app puts the published laws side by side, lets you move every "
        "constant, fits laws to your own runs and shows how far a prediction can be trusted."
    ),
    "home.teaser_caption": "Compute-optimal tokens per parameter under each law (live from the core).",
    "home.pages": "Pages",
    "home.explorer_blurb": "Iso-loss map over N and D, iso-FLOP lines, the compute-optimal frontier and well-known models.",
    "home.frontiers_blurb": "Kaplan 2020 against Chinchilla 2022 and its replication: N, D, tokens per parameter and loss against compute.",
    "home.fit_blurb": "Upload your runs (CSV, TSV, JSON) and fit a law with error bars.",
    "home.extrapolate_blurb": "Predict beyond your runs with confidence and prediction bands, and backtest them.",
    "home.sources": "Sources",
    "home.conventions": (
        "Conventions: loss in nats per token; N in parameters (Kaplan counts non-embedding, Chinchilla "
        "total); D in tokens; C in training FLOPs, C = 6ND."
    ),
    # explorer
    "explorer.title": "Law Explorer",
    "explorer.caption": "Move the constants and watch the iso-loss map, the iso-FLOP lines and the compute-optimal frontier respond.",
    "explorer.family": "Law family",
    "family.chinchilla": "Chinchilla form: E + A/N^α + B/D^β",
    "family.kaplan": "Kaplan joint form: [(N_c/N)^(α_N/α_D) + D_c/D]^α_D",
    "explorer.preset": "Preset",
    "explorer.reset": "Reset constants to the preset",
    "explorer.constants": "Constants",
    "explorer.modified": "Constants differ from the preset (custom law).",
    "explorer.ranges": "Axis ranges",
    "explorer.n_range": "N range (log₁₀ parameters)",
    "explorer.d_range": "D range (log₁₀ tokens)",
    "explorer.show_models": "Show well-known models",
    "explorer.map_title": "Iso-loss contours of L(N, D), nats per token",
    "explorer.slices_n": "Loss vs N at fixed D",
    "explorer.slices_d": "Loss vs D at fixed N",
    "explorer.models_note": (
        "Markers place well-known models at their (N, D); the hover shows this law's prediction there, "
        "not the model's measured loss (trained on other data and tokenizers)."
    ),
    "explorer.n_counted": "N counts {counted} parameters under this law.",
    "explorer.optimum_rule": "Compute-optimal exponents of this law: N_opt ∝ C^{a}, D_opt ∝ C^{b}.",
    "explorer.kaplan_numeric": "Kaplan's joint form has no Chinchilla-style closed form here: the frontier is the numeric minimum along each iso-FLOP line.",
    "counted.total": "total",
    "counted.non-embedding": "non-embedding",
    # frontiers
    "frontiers.title": "Frontiers: Kaplan vs Chinchilla",
    "frontiers.caption": "Compute-optimal model size, data, tokens per parameter and loss under each law, from 1e18 to 1e27 FLOPs.",
    "frontiers.laws": "Laws to compare",
    "frontiers.not_comparable": (
        "Absolute losses of laws fitted on different data are not comparable: Kaplan's laws were measured "
        "on WebText2 with the GPT-2 tokenizer, Chinchilla's on MassiveText with SentencePiece. Compare "
        "exponents and allocations, not loss levels."
    ),
    "frontiers.budget": "Compute budget",
    "frontiers.budget_mode": "Set the budget as",
    "budget.flops": "FLOPs",
    "budget.gpus": "GPUs × time",
    "frontiers.log_compute": "Training compute (log₁₀ FLOPs)",
    "frontiers.gpu": "GPU (peak dense BF16)",
    "frontiers.n_gpus": "Number of GPUs",
    "frontiers.days": "Training days",
    "frontiers.mfu": "Model FLOPs utilisation (MFU)",
    "frontiers.budget_value": "Budget: {flops} FLOPs ({pfdays} PF-days)",
    "frontiers.valley_title": "Iso-FLOP valley L(N | C) at the budget",
    "frontiers.table_title": "Optima at the budget",
    "frontiers.kaplan_table6": "Kaplan 2020 published trend (Table 6)",
    "frontiers.kaplan_table6_note": (
        "Kaplan's own published allocation N_opt = 1.3e9 · C_min^0.73 (C_min in PF-days, C_min = C/2 when "
        "training at the critical batch). It is an allocation rule only: it has no loss."
    ),
    "frontiers.models_note": "Well-known models are placed at C = 6ND.",
    # table columns
    "col.law": "Law",
    "col.n_opt": "N_opt (params)",
    "col.d_opt": "D_opt (tokens)",
    "col.tokens_per_param": "Tokens per parameter",
    "col.loss": "Loss (nats/token)",
    "col.source": "Source",
    "col.days": "Days on the GPUs",
    # figure labels
    "axis.params": "Parameters N",
    "axis.tokens": "Training tokens D",
    "axis.compute": "Training compute C (FLOPs)",
    "axis.loss": "Loss (nats/token)",
    "axis.tokens_per_param": "Tokens per parameter D/N",
    "fig.frontier": "Compute-optimal frontier",
    "fig.iso_flop": "C = {c} FLOPs",
    "fig.models": "Well-known models",
    "fig.optimum": "optimum",
    "fig.at_d": "D = {d} tokens",
    "fig.at_n": "N = {n} params",
    "panel.n_opt": "Optimal parameters N_opt",
    "panel.d_opt": "Optimal tokens D_opt",
    "panel.ratio": "Tokens per parameter",
    "panel.loss": "Loss at the optimum",
}

ZH: dict[str, str] = {
    "app.title": "缩放定律探索器",
    "app.tagline": "语言模型的神经缩放定律：探索、用你的训练结果拟合，并分享当前视图。",
    "sidebar.language": "Language / 语言",
    "nav.home": "首页",
    "nav.explorer": "定律探索",
    "nav.frontiers": "最优前沿",
    "nav.fit": "拟合你的实验",
    "nav.extrapolate": "外推预测",
    "sidebar.share": "所有控件的取值都保存在地址栏中：复制网址即可分享完全相同的视图。",
    "url.ignored": "已忽略网址参数 `{key}` = `{value}`：{reason}。已改用默认值。",
    "url.expect_range": "应为 {lo} 到 {hi} 之间的数",
    "url.expect_choice": "应为以下之一：{choices}",
    "url.expect_pair": "应为 {lo} 到 {hi} 之间的两个数",
    "home.intro": (
        "缩放定律根据模型规模 N（参数量）和训练数据量 D（token 数）预测语言模型的损失。本应用把已发表的定律放在一起比较，"
        "允许调整每一个常数，用你自己的实验拟合定律，并展示预测在多大范围内可信。"
    ),
    "home.teaser_caption": "各定律下计算最优的每参数 token 数（由核心库实时计算）。",
    "home.pages": "页面",
    "home.explorer_blurb": "N × D 平面上的等损失等高线、等算力线、计算最优前沿以及知名模型。",
    "home.frontiers_blurb": "Kaplan 2020 与 Chinchilla 2022 及其复现的对比：N、D、每参数 token 数和损失随算力的变化。",
    "home.fit_blurb": "上传你的实验结果（CSV、TSV、JSON），拟合定律并给出误差范围。",
    "home.extrapolate_blurb": "带置信带和预测带的外推，并对其进行回测。",
    "home.sources": "文献来源",
    "home.conventions": (
        "约定：损失单位为 nats/token；N 为参数量（Kaplan 计非嵌入参数，Chinchilla 计总参数）；D 为 token 数；"
        "C 为训练 FLOPs，C = 6ND。"
    ),
    "explorer.title": "定律探索",
    "explorer.caption": "调整常数，观察等损失图、等算力线和计算最优前沿的变化。",
    "explorer.family": "定律形式",
    "family.chinchilla": "Chinchilla 形式：E + A/N^α + B/D^β",
    "family.kaplan": "Kaplan 联合形式：[(N_c/N)^(α_N/α_D) + D_c/D]^α_D",
    "explorer.preset": "预设",
    "explorer.reset": "将常数重置为预设值",
    "explorer.constants": "常数",
    "explorer.modified": "常数与预设不同（自定义定律）。",
    "explorer.ranges": "坐标范围",
    "explorer.n_range": "N 范围（log₁₀ 参数量）",
    "explorer.d_range": "D 范围（log₁₀ token 数）",
    "explorer.show_models": "显示知名模型",
    "explorer.map_title": "L(N, D) 的等损失等高线（nats/token）",
    "explorer.slices_n": "固定 D 时损失随 N 的变化",
    "explorer.slices_d": "固定 N 时损失随 D 的变化",
    "explorer.models_note": "标记点表示知名模型的 (N, D)；悬停显示的是本定律在该点的预测，而非模型的实测损失（它们使用了不同的数据和分词器）。",
    "explorer.n_counted": "在此定律下，N 计的是{counted}参数。",
    "explorer.optimum_rule": "此定律的计算最优指数：N_opt ∝ C^{a}，D_opt ∝ C^{b}。",
    "explorer.kaplan_numeric": "Kaplan 联合形式在此没有 Chinchilla 式的闭式解：前沿是沿每条等算力线数值求得的最小值。",
    "counted.total": "总",
    "counted.non-embedding": "非嵌入",
    "frontiers.title": "最优前沿：Kaplan 与 Chinchilla",
    "frontiers.caption": "各定律下计算最优的模型规模、数据量、每参数 token 数和损失，算力范围 1e18 到 1e27 FLOPs。",
    "frontiers.laws": "参与比较的定律",
    "frontiers.not_comparable": (
        "在不同数据上拟合的定律，其损失绝对值不可直接比较：Kaplan 的定律基于 WebText2 与 GPT-2 分词器，"
        "Chinchilla 的基于 MassiveText 与 SentencePiece。应比较指数和分配方式，而不是损失水平。"
    ),
    "frontiers.budget": "算力预算",
    "frontiers.budget_mode": "预算设定方式",
    "budget.flops": "FLOPs",
    "budget.gpus": "GPU × 时间",
    "frontiers.log_compute": "训练算力（log₁₀ FLOPs）",
    "frontiers.gpu": "GPU（稠密 BF16 峰值）",
    "frontiers.n_gpus": "GPU 数量",
    "frontiers.days": "训练天数",
    "frontiers.mfu": "模型算力利用率（MFU）",
    "frontiers.budget_value": "预算：{flops} FLOPs（{pfdays} PF-days）",
    "frontiers.valley_title": "该预算下的等算力谷线 L(N | C)",
    "frontiers.table_title": "该预算下的最优点",
    "frontiers.kaplan_table6": "Kaplan 2020 发表的趋势（表 6）",
    "frontiers.kaplan_table6_note": (
        "Kaplan 自己发表的分配规则 N_opt = 1.3e9 · C_min^0.73（C_min 以 PF-days 计，在临界批量下训练时 C_min = C/2）。"
        "它只是一条分配规则，不给出损失。"
    ),
    "frontiers.models_note": "知名模型按 C = 6ND 标注。",
    "col.law": "定律",
    "col.n_opt": "N_opt（参数）",
    "col.d_opt": "D_opt（token）",
    "col.tokens_per_param": "每参数 token 数",
    "col.loss": "损失（nats/token）",
    "col.source": "来源",
    "col.days": "所需 GPU 天数",
    "axis.params": "参数量 N",
    "axis.tokens": "训练 token 数 D",
    "axis.compute": "训练算力 C（FLOPs）",
    "axis.loss": "损失（nats/token）",
    "axis.tokens_per_param": "每参数 token 数 D/N",
    "fig.frontier": "计算最优前沿",
    "fig.iso_flop": "C = {c} FLOPs",
    "fig.models": "知名模型",
    "fig.optimum": "最优点",
    "fig.at_d": "D = {d} token",
    "fig.at_n": "N = {n} 参数",
    "panel.n_opt": "最优参数量 N_opt",
    "panel.d_opt": "最优 token 数 D_opt",
    "panel.ratio": "每参数 token 数",
    "panel.loss": "最优点的损失",
}

STRINGS = {"en": EN, "zh": ZH}


def current_lang() -> str:
    """The language of this session: the sidebar choice, else the URL's `lang`, else English."""
    lang = st.session_state.get("lang") or st.query_params.get("lang", DEFAULT_LANG)
    return lang if lang in STRINGS else DEFAULT_LANG


def translate(string_id: str, lang: str, /, **values: object) -> str:
    text = STRINGS[lang].get(string_id) or EN[string_id]
    return text.format(**values) if values else text


def t(string_id: str, /, **values: object) -> str:
    """The UI string `string_id` in the session's language, with {placeholders} filled in."""
    return translate(string_id, current_lang(), **values)


def labels(lang: str | None = None) -> dict[str, str]:
    """All strings of a language (English where a translation is missing), for figure builders."""
    lang = lang or current_lang()
    return {**EN, **STRINGS.get(lang, {})}
