"""Strings of the Learn page (pages/0_Learn.py, ui/learn_view.py, ui/figures/learn.py).

Written for this page in English and Simplified Chinese. Numbers arrive as {placeholders} from
the core; formulas, citations and numbers stay untranslated."""

from __future__ import annotations

EN: dict[str, str] = {
    # shell
    "nav.learn": "Learn",
    "home.learn_blurb": (
        "A guided tour in seven short chapters: power laws, Kaplan against Chinchilla, a fitting trap, "
        "extrapolation, batch size and learning rate, and what lies beyond the loss. Each has a live figure."
    ),
    "learn.title": "Learn scaling laws",
    "learn.caption": (
        "Short chapters, each with a figure to play with and a link that carries its settings to the full page. "
        "Every number here is computed by the app's core and names its source."
    ),
    "learn.chapter": "Chapter",
    "learn.sources": "Sources:",
    "learn.previous": "Previous: {title}",
    "learn.next": "Next: {title}",
    "learn.col.law": "Law",
    "learn.col.exponent": "Exponent",
    "learn.col.scale": "Scale",
    "learn.col.unit": "Unit of the scale",
    "learn.col.metric": "metric",
    "learn.col.fitted": "fitted",
    "source.tutorial": "Tutorial example (3 rows; N, D and C grow together)",
    # 1. power laws
    "learn.power.title": "{number}. Power laws",
    "learn.power.p1": (
        "A **power law** y = a·xᵇ changes by the same factor whenever x is multiplied by the same factor: "
        "ten times more x always multiplies y by 10ᵇ. Take logarithms and it becomes a straight line, "
        "log y = log a + b·log x, with slope b. That is why scaling-law plots use log-log axes, and why a "
        "straight line on them is the first thing to look for."
    ),
    "learn.power.p2": (
        "A loss never falls to zero, so scaling laws add a constant: y = a·xᵇ + c. The power-law term is the "
        "**reducible** part, which more scale keeps shrinking; c is the **irreducible** part, a floor that no "
        "amount of scale removes (for a language model, roughly the entropy of the text itself). On log-log axes "
        "the offset bends the straight line towards that floor: a line drawn through the early points keeps "
        "falling where the curve levels off, and extrapolated far enough it predicts losses below the floor."
    ),
    "learn.power.b": "Exponent b",
    "learn.power.c": "Offset c (the irreducible part)",
    "learn.power.live": (
        "Each 10× in x multiplies the reducible part by 10ᵇ = **{factor}** (a {drop}% drop). At x = {x} the "
        "reducible part is {reducible} and the floor is {c}: **{share}%** of the value can still be removed by scale."
    ),
    "learn.power.caption": (
        "Dashed: y = a·xᵇ; solid: y = a·xᵇ + c. The starting values are the N term of Besiroglu et al.'s refit "
        "of the Chinchilla law (a = A = {a}, b = −α, c = E, rounded), so x plays the part of the parameter count N; "
        "the link opens that whole law with α = −b and E = c."
    ),
    "learn.power.link": "Open this law in the Law Explorer",
    # 2. Kaplan et al. 2020
    "learn.kaplan.title": "{number}. Kaplan et al. 2020",
    "learn.kaplan.p1": (
        "Kaplan et al. (2020) trained decoder-only Transformers of many sizes on WebText2 and found that the loss follows a power law L(X) = (X_c/X)^α_X in each resource X, as "
        "long as the other two are not the bottleneck: model size N (non-embedding parameters), data D (tokens) and compute C_min "
        "(PF-days, the compute of training well below the critical batch size). The scale constants depend on "
        "the tokenizer and mean little on their own; the exponents carry the message."
    ),
    "learn.kaplan.unit_params": "non-embedding parameters",
    "learn.kaplan.unit_tokens": "tokens",
    "learn.kaplan.unit_pfdays": "PF-days",
    "learn.kaplan.misprint": (
        "**A misprint to watch for.** Some tutorials give C_c = {wrong} PF-days. The paper prints "
        "**C_c = {right} PF-days** (Eq. 1.3, Eq. 6.3 and Table 5), that is {flops} FLOPs. The misprint makes "
        "every L(C_min) {shift}% too low."
    ),
    "learn.kaplan.p2": (
        "The joint law L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D combines the first two, with constants of "
        "its own (Table 2: α_N = {alpha_N}, α_D = {alpha_D}, N_c = {N_c}, D_c = {D_c}). For a fixed model, more "
        "data lowers the loss until it nears the model's own floor (N_c/N)^α_N; after that, extra data buys "
        "almost nothing. Kaplan et al. call the gap δL = L(N, D)/L(N, ∞) − 1 negligible below about "
        "{tolerance}, the spread between random seeds (Eq. 4.3 and 4.4)."
    ),
    "learn.kaplan.n": "Model size N (non-embedding parameters)",
    "learn.kaplan.live": (
        "For N = **{n}** the loss can go no lower than {floor} nats/token. After about **{d} tokens** "
        "({ratio} tokens per parameter) it is within {tolerance}% of that floor: more data stops helping."
    ),
    "learn.kaplan.caption": (
        "Kaplan et al.'s joint law against D for the chosen size (bold) and one size per decade (grey). "
        "Dashed: the data-limited law L(∞, D); dotted: the chosen model's floor L(N, ∞); circle: where "
        "δL falls to {tolerance}%."
    ),
    "learn.kaplan.link": "Open Kaplan's joint law in the Law Explorer",
    # 3. splitting a budget
    "learn.budget.title": "{number}. Splitting a budget: Kaplan against Chinchilla",
    "learn.budget.p1": (
        "Training costs about C = 6ND FLOPs, so a budget buys a bigger model or more tokens. Kaplan et al. "
        "fitted **N_opt ∝ C_min^{p_N}** (Table 6): most extra compute goes into parameters, and the tokens grow "
        "only as C^{p_D}. Hoffmann et al. (2022) found **N_opt ∝ C^a with a near 0.5** by three methods "
        "(Table 2: a = {approaches}): grow both alike, about {tpp} tokens per parameter. Besiroglu et al.'s refit "
        "of the third method gives a = {a_epoch}."
    ),
    "learn.budget.c": "Compute budget C (FLOPs)",
    "learn.budget.kaplan": "Kaplan 2020, Table 6",
    "learn.budget.hoffmann": "Hoffmann 2022, printed",
    "learn.budget.epoch": "Besiroglu 2024 (Epoch)",
    "learn.budget.p2": (
        "At frontier budgets the gap is large. The big models of 2020–2021 ({big_models}) saw {most_tokens} "
        "tokens or fewer; Chinchilla spent Gopher's compute on {chin_n} parameters and {chin_d} tokens, and beat it (Hoffmann et al., Table 1 and Sec. 4). Hover the diamonds to see "
        "each model's tokens per parameter."
    ),
    "learn.budget.p3": (
        "Why they disagree: Pearce & Song (2024) show that counting only **non-embedding** parameters and "
        "studying **small** models, where the embedding is a large share of the total, bends Chinchilla's own "
        "law into an exponent close to Kaplan's. Porian et al. (2024) reproduce Kaplan's exponent and close the "
        "gap step by step: count the **last layer's FLOPs**, shorten the **warmup** of small models, and "
        "**tune the optimizer** (learning rate, batch size, AdamW β2) at each scale."
    ),
    "learn.budget.caption": (
        "Compute-optimal N against compute. Dashed: Kaplan's published trend for a FLOP budget trained at the "
        "critical batch (C_min = C/2); solid: Chinchilla-form laws. Diamonds: well-known models at C = 6ND "
        "(data/models.csv)."
    ),
    "learn.budget.link": "Open this budget in Frontiers",
    # 4. fitting, and a trap
    "learn.fitting.title": "{number}. Fitting, and a trap",
    "learn.fitting.p1": (
        "Many tutorials fit **Performance = α·N^β·D^γ·C^δ** by linear regression on logarithms, using three "
        "runs like these. Three rows are few, but the real trouble is that from one row to the next N, D and C "
        "all grow tenfold together, so their logarithms are collinear. The runs pin down only "
        "**{identified} of the {total} constants** (a level and one slope); the others can be anything. "
        "(The table's C is not even 6ND, shown beside it.)"
    ),
    "learn.fitting.b_n": "N's exponent β (the runs fix β + γ, so γ follows)",
    "learn.fitting.live": (
        "With β = {b_n}, γ = {b_d} and α = {k}, the fitted column does not move as you drag the slider. "
        "The predictions away from the runs do: a {big_n} model on {small_d} tokens scores **{big_model}**, "
        "a {small_n} model on {big_d} tokens **{long_run}**."
    ),
    "learn.fitting.p2": (
        "Least squares therefore has infinitely many answers with exactly the same error. numpy's `lstsq` "
        "quietly returns one of them, the one with the smallest coefficients (β = γ = {lstsq} when fitting N and "
        "D only). Our fitter drops the collinear columns, reports β = {ours} for N alone and says which columns it "
        "dropped. With C as a fourth column, {free} directions are free."
    ),
    "learn.fitting.p3": (
        "To identify the law, vary N and D independently: the same three sizes crossed with the same three token "
        "counts ({runs} runs, the hollow circles) identify **{grid_nd} of 3** constants of α·N^β·D^γ. Adding "
        "C = 6ND as a fourth column still leaves {grid_ndc} of 4: C's exponent never separates from β and γ, so "
        "leave C out when it is 6ND."
    ),
    "learn.fitting.caption": (
        "Predicted metric over N × D for the fit the slider picks. Every pick passes equally well through the "
        "three tutorial runs (diamonds, on the diagonal); away from the diagonal the contours turn with the slider."
    ),
    "learn.fitting.link": "Fit the tutorial example on the Fit page",
    "learn.fitting.source": "the tutorials' example, shipped as data/tutorial_example.csv (provenance in data/README.md)",
    # 5. how far can you trust it
    "learn.trust.title": "{number}. How far can you trust it?",
    "learn.trust.p1": (
        "A law fitted to small runs is used to predict a much bigger one. To see how well that works, hide the "
        "big runs: fit below a compute cutoff and compare the prediction with the runs above it. These are the "
        "synthetic demo runs ({runs} runs on {budgets} compute budgets, drawn with a little noise from "
        "Besiroglu et al.'s law), so the truth is known (dotted green)."
    ),
    "learn.trust.cut": "Fit only the runs below",
    "learn.trust.fitting": "Fitting the law below the cutoff and bootstrapping it…",
    "learn.trust.live": (
        "Fitted on **{n_train} runs** up to C = {largest} FLOPs. Half-width of the 95% prediction band: "
        "±{w0}% at the largest fitted run, ±{w1}% at 10× beyond it, ±{w2}% at 100×, ±{w3}% at 1000×. "
        "**{inside} of {held}** held-out runs fall inside their 95% band."
    ),
    "learn.trust.p2": (
        "The bands come from a residual bootstrap: the law is refitted {boot} times to the runs with their "
        "residuals reshuffled, and the spread of those refits, plus the run-to-run noise, makes the band. "
        "It widens with distance because a small error in an exponent grows with every decade it is carried. "
        "Move the cutoff: with fewer budgets the fitted law drifts further from the truth, and the bands grow."
    ),
    "learn.trust.p3": (
        "A narrow band is no guarantee: it only covers what the fitted form can express. The Extrapolate page "
        "does this with your own runs and adds a rolling backtest that measures error and coverage against "
        "distance."
    ),
    "learn.trust.caption": (
        "Loss along the fitted compute-optimal frontier with its 50/80/95% prediction bands and 95% confidence "
        "band. Dots: fitted runs; diamonds: held-out runs; dotted green: the true loss of the same models."
    ),
    "learn.trust.link": "Open this cutoff on the Extrapolate page",
    # 6. batch size and learning rate
    "learn.hparams.title": "{number}. Batch size and learning rate",
    "learn.hparams.p1": (
        "Besides N and D, a run needs a batch size and a learning rate, and both scale too. Kaplan et al. found "
        "a **critical batch size** B_crit(L) = B_\\*/L^(1/α_B), with B_\\* = {B_star} tokens and α_B = {alpha_B}: "
        "below it, doubling the batch nearly halves the steps needed; well above it, a bigger batch mostly burns "
        "compute. B_crit depends on the loss reached, not on the model size, and doubles each time the loss falls "
        "by about {drop}%."
    ),
    "learn.hparams.p2": (
        "DeepSeek (2024) fitted the best learning rate and batch size straight against the compute budget: "
        "**η_opt = {lr_pre}·C^{lr_exp}** and **B_opt = {b_pre}·C^{b_exp} tokens**. Bigger runs want bigger "
        "batches and smaller learning rates, but slowly: {growth}× more compute multiplies B_opt by {b_factor} "
        "and η_opt by {lr_factor}. They report a broad band of near-optimal settings around these values."
    ),
    "learn.hparams.p3": (
        "For a plan: take the batch from B_opt(C) (in sequences: divide by the context length), check that it is "
        "not far above B_crit at the loss you expect, and start a small learning-rate sweep at η_opt. Kaplan's "
        "losses are on WebText2 with GPT-2's tokenizer, and DeepSeek counts C as non-embedding FLOPs per token "
        "times tokens: carry the trends, not the exact numbers, to another setup."
    ),
    "learn.hparams.c": "Compute budget C (FLOPs)",
    "learn.hparams.live": (
        "At C = {c} FLOPs: DeepSeek's B_opt = **{batch} tokens** ({sequences} sequences of {seq_len} tokens) and "
        "η_opt = **{lr}**. Kaplan's L(C_min) there is {loss} nats/token, where B_crit = **{crit} tokens**."
    ),
    "learn.hparams.caption": (
        "Top: DeepSeek's optimal batch B_opt(C) and Kaplan's critical batch at the loss Kaplan's L(C_min) predicts "
        "for that compute (C_min = C/2). Bottom: DeepSeek's optimal learning rate. The data, tokenizers and "
        "compute conventions differ: compare the slopes."
    ),
    "learn.plan_link": "Plan a run with these settings",
    "learn.frontiers_link": "Open this budget in Frontiers",
    "learn.frontiers_page": "Compare the laws in Frontiers",
    # 7. beyond loss
    "learn.beyond.title": "{number}. Beyond loss",
    "learn.beyond.intro": (
        "Three things the basic laws leave out, each with its own figure: what happens when the data runs out, "
        "what a model costs after training, and why a smoothly falling loss can look like a sudden new ability."
    ),
    "learn.beyond.topic": "Topic",
    "learn.repeat.title": "Repeating data",
    "learn.repeat.p1": (
        "When the unique data runs out, a run sees the same tokens again. Muennighoff et al. (2023) count a "
        "repeated token as worth less than a fresh one: D′ = U + U·R_D\\*·(1 − e^(−R/R_D\\*)), with U the unique "
        "tokens, R the repetitions past the first epoch and R_D\\* = {r_d}. At {epochs} epochs repeated data is still worth "
        "{four}% of fresh data; beyond about {cap} epochs the returns fade, and D′ never exceeds {cap}× the unique "
        "tokens. Parameters beyond what the data can use lose value faster (R_N\\* = {r_n})."
    ),
    "learn.repeat.p2": (
        "With a fixed budget and little unique data, the best split changes. The figure gives the loss of every "
        "model size on the budget's iso-FLOP line, with the unique tokens available (solid) and with fresh data "
        "throughout (dashed). The constants were fitted on C4, together with their own E, A, B, α and β."
    ),
    "learn.repeat.c": "Compute budget C (FLOPs)",
    "learn.repeat.u": "Unique tokens U",
    "learn.repeat.live": (
        "With {u} unique tokens and {c} FLOPs, the best run trains **{n}** parameters on **{d} tokens** "
        "({epochs} epochs; on average a token is worth {worth}% of a fresh one) and reaches {loss} nats/token. "
        "With fresh data throughout: {n_fresh} on {d_fresh} tokens, {loss_fresh}."
    ),
    "learn.repeat.caption": (
        "Loss on one compute budget against model size (C = 6ND fixes the tokens) under Muennighoff et al.'s "
        "data-constrained law; dots: each curve's best model."
    ),
    "learn.inference.title": "Inference-aware sizing",
    "learn.inference.p1": (
        "A compute-optimal model is the cheapest to *train* to a given loss, but a deployed model also spends about "
        "2N FLOPs on every token it processes. Sardana et al. (2024) minimise training plus inference, "
        "6N·D_train + 2N·D_inference, over all the models that reach the same loss: when a model will serve many "
        "tokens, a smaller model trained on more data wins."
    ),
    "learn.inference.p2": (
        "The figure uses {law}. Every point on the curves reaches the target loss; the dashed curve counts "
        "training only (its minimum is the compute-optimal model), the solid one adds inference."
    ),
    "learn.inference.loss": "Target loss (nats/token)",
    "learn.inference.d": "Inference tokens over the model's life",
    "learn.inference.live": (
        "For a loss of {loss} and {d_inf} inference tokens: compute-optimal is {n0} parameters on {d0} tokens; "
        "counting inference, the cheapest is **{n}** parameters on **{d} tokens** ({ratio} tokens per parameter), "
        "saving **{saving}%** of the total FLOPs."
    ),
    "learn.inference.caption": (
        "FLOPs to reach the target loss against model size (each size trained on just enough tokens): training only "
        "(dashed) and training plus inference (solid); circles mark the minima."
    ),
    "learn.emergence.title": "Emergent abilities",
    "learn.emergence.p1": (
        "Some abilities seem to appear suddenly at scale. Schaeffer et al. (2023) argue that much of this comes "
        "from the metric: if a model puts probability p = e^(−L) on each right token, an answer of k tokens is "
        "exactly right with probability p^k = e^(−kL). That stays near zero until the per-token loss L falls "
        "below about 1/k, then climbs to one, although L itself falls smoothly."
    ),
    "learn.emergence.p2": (
        "Here the toy answer loss is the part of the loss that scale removes, L − E, along Besiroglu et al.'s "
        "compute-optimal frontier. Exact match (red) stays flat for decades and then takes off, which is what an "
        '"emergent" ability looks like in a plot; the per-token accuracy p (dashed) and the token edit '
        "distance k(1 − p), a metric linear in the errors, change smoothly. A longer "
        "answer moves the jump to larger compute without making the model any less predictable."
    ),
    "learn.emergence.k": "Answer length k (tokens)",
    "learn.emergence.live": (
        "For k = {k}, exact match stays below 1% up to C ≈ {c1} FLOPs, although the per-token accuracy there is "
        "already {p1}%, and {reach}. A sweep of models that stops short of {c1} FLOPs sees no trace of the "
        "ability, while the per-token loss falls the same smooth way throughout."
    ),
    "learn.emergence.half": "reaches 50% at {c50} FLOPs",
    "learn.emergence.not_half": "is still below 50% at {c_max} FLOPs",
    "learn.emergence.visible": (
        "For k = {k}, exact match is already {start}% at the smallest budget shown: with answers this short the "
        "metric follows the per-token accuracy and nothing looks sudden. Lengthen the answer."
    ),
    "learn.emergence.outside": (
        "For k = {k}, exact match stays below 1% over the whole range shown, up to {c_max} FLOPs: the ability "
        "would look absent however smoothly the per-token loss falls."
    ),
    "learn.emergence.caption": (
        "Top: the toy per-token loss along the frontier (smooth on log axes). Bottom: exact match over k tokens "
        "(red) against the per-token accuracy (dashed); shaded: where exact match is below 1%, so the ability "
        "looks absent; circles: 1% and 50%."
    ),
    "learn.emergence.link": "Open this law's frontier in Frontiers",
    # figures
    "learn.fig.linear_axes": "Linear axes, x up to {max}",
    "learn.fig.log_axes": "Log-log axes",
    "learn.fig.with_offset": "power law with offset: y = a·xᵇ + c",
    "learn.fig.pure": "pure power law: y = a·xᵇ",
    "learn.fig.floor": "irreducible part c",
    "learn.fig.other_sizes": "other sizes",
    "learn.fig.data_limited": "L(∞, D), data-limited",
    "learn.fig.model_floor": "L(N, ∞), its floor",
    "learn.fig.this_size": "model size N = {n}",
    "learn.fig.enough_data": "more data stops helping",
    "learn.fig.kaplan_title": "Loss against data at a fixed model size",
    "learn.fig.budget": "budget",
    "learn.fig.allocation_title": "Compute-optimal model size",
    "learn.fig.metric": "predicted metric",
    "learn.fig.grid_design": "a 3×3 grid design",
    "learn.fig.tutorial_runs": "the tutorial's three runs",
    "learn.fig.collinear_title": "One of many equally good fits",
    "learn.fig.truth": "truth: the law the runs were drawn from",
    "learn.fig.trust_title": "Fitted below the cutoff, tested above it",
    "learn.fig.token_loss": "per-token loss on the answer",
    "learn.fig.accuracy": "accuracy",
    "learn.fig.token_accuracy": "per-token accuracy p = e^(−L)",
    "learn.fig.exact_match": "exact match, {k} tokens",
    "learn.fig.marks": "exact match at 1% and 50%",
    "learn.fig.nats": "loss (nats/token)",
    "learn.fig.batch": "Batch size (tokens)",
    "learn.fig.learning_rate": "Learning rate",
    "learn.fig.deepseek_batch": "DeepSeek: best batch B_opt(C)",
    "learn.fig.kaplan_batch": "Kaplan B_crit at L(C_min)",
    "learn.fig.deepseek_lr": "DeepSeek: best learning rate η_opt(C)",
    "learn.fig.fresh": "fresh data throughout",
    "learn.fig.repeated": "with U unique tokens",
    "learn.fig.repeat_title": "Loss on one budget, against model size",
    "learn.fig.training_flops": "training only",
    "learn.fig.total_flops": "training + inference",
    "learn.fig.flops": "FLOPs (training, or training and inference)",
    "learn.fig.inference_title": "FLOPs to reach the target loss",
}

ZH: dict[str, str] = {
    # shell
    "nav.learn": "学习",
    "home.learn_blurb": (
        "七个简短章节的导览：幂律、Kaplan 与 Chinchilla 之争、拟合陷阱、外推、批大小与学习率，以及损失之外的问题。"
        "每章都有一张可交互的图。"
    ),
    "learn.title": "学习缩放定律",
    "learn.caption": "每章篇幅简短，配有一张可以调节的图，以及一个把当前设置带到完整页面的链接。本页所有数字都由应用的核心计算得出，并注明出处。",
    "learn.chapter": "章节",
    "learn.sources": "出处：",
    "learn.previous": "上一章：{title}",
    "learn.next": "下一章：{title}",
    "learn.col.law": "定律",
    "learn.col.exponent": "指数",
    "learn.col.scale": "尺度常数",
    "learn.col.unit": "尺度常数的单位",
    "learn.col.metric": "指标",
    "learn.col.fitted": "拟合值",
    "source.tutorial": "教程示例（3 行；N、D、C 同步增长）",
    # 1. power laws
    "learn.power.title": "{number}. 幂律",
    "learn.power.p1": (
        "**幂律** y = a·xᵇ 的特点是：x 每乘以同一个倍数，y 也乘以同一个倍数——x 增大十倍，y 总是变为原来的 10ᵇ 倍。"
        "两边取对数，它就成了一条直线 log y = log a + b·log x，斜率为 b。这正是缩放定律的图都用双对数坐标的原因，"
        "也是为什么在这种坐标上首先要看是否呈直线。"
    ),
    "learn.power.p2": (
        "损失不会降到零，所以缩放定律要加一个常数：y = a·xᵇ + c。幂律项是**可约**部分，规模越大它越小；"
        "c 是**不可约**部分，无论规模多大都去不掉的下限（对语言模型而言，大致是文本本身的熵）。"
        "在双对数坐标上，这个偏移量会把直线向下限弯折：沿着前面几个点画出的直线，在曲线已经变平的地方仍然继续下降，"
        "外推得足够远，就会预测出低于下限的损失。"
    ),
    "learn.power.b": "指数 b",
    "learn.power.c": "偏移量 c（不可约部分）",
    "learn.power.live": (
        "x 每增大 10 倍，可约部分就乘以 10ᵇ = **{factor}**（下降 {drop}%）。在 x = {x} 处，可约部分为 {reducible}，"
        "下限为 {c}：数值中仍有 **{share}%** 可以靠扩大规模去掉。"
    ),
    "learn.power.caption": (
        "虚线：y = a·xᵇ；实线：y = a·xᵇ + c。初始值取自 Besiroglu 等人对 Chinchilla 定律重新拟合结果中的 N 项"
        "（a = A = {a}，b = −α，c = E，已取整），因此 x 相当于参数量 N；链接会以 α = −b、E = c 打开完整的定律。"
    ),
    "learn.power.link": "在「定律探索」中打开这条定律",
    # 2. Kaplan et al. 2020
    "learn.kaplan.title": "{number}. Kaplan 等 2020",
    "learn.kaplan.p1": (
        "Kaplan 等（2020）在 WebText2 上训练了多种规模的仅解码器 Transformer，发现只要另外两种资源不成为瓶颈，"
        "损失就随每一种资源 X 按幂律 L(X) = (X_c/X)^α_X 下降：模型规模 N（非嵌入参数）、数据量 D（token）和算力 C_min"
        "（单位为 PF-天，指在远小于临界批大小的条件下训练所需的算力）。尺度常数依赖于分词器，本身意义不大；"
        "真正传递信息的是指数。"
    ),
    "learn.kaplan.unit_params": "非嵌入参数",
    "learn.kaplan.unit_tokens": "token",
    "learn.kaplan.unit_pfdays": "PF-天",
    "learn.kaplan.misprint": (
        "**注意一个常见笔误。** 一些教程写作 C_c = {wrong} PF-天。论文中印的是 **C_c = {right} PF-天**"
        "（式 1.3、式 6.3 和表 5），即 {flops} FLOPs。按笔误计算，每个 L(C_min) 都会偏低 {shift}%。"
    ),
    "learn.kaplan.p2": (
        "联合定律 L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D 把前两条合在一起，并有自己的一组常数"
        "（表 2：α_N = {alpha_N}，α_D = {alpha_D}，N_c = {N_c}，D_c = {D_c}）。对固定的模型，增加数据会降低损失，"
        "直到接近该模型自身的下限 (N_c/N)^α_N；此后再加数据几乎没有收益。Kaplan 等认为，当差距 "
        "δL = L(N, D)/L(N, ∞) − 1 小于约 {tolerance}（不同随机种子之间的波动）时即可忽略（式 4.3 与 4.4）。"
    ),
    "learn.kaplan.n": "模型规模 N（非嵌入参数）",
    "learn.kaplan.live": (
        "当 N = **{n}** 时，损失最低只能到 {floor} nats/token。约 **{d} 个 token**（每参数 {ratio} 个 token）之后，"
        "损失已在该下限的 {tolerance}% 以内：更多数据不再有帮助。"
    ),
    "learn.kaplan.caption": (
        "Kaplan 等联合定律的损失随 D 的变化：所选规模（粗线）以及每个数量级一个规模（灰线）。"
        "虚线：数据受限定律 L(∞, D)；点线：所选模型的下限 L(N, ∞)；圆圈：δL 降到 {tolerance}% 的位置。"
    ),
    "learn.kaplan.link": "在「定律探索」中打开 Kaplan 联合定律",
    # 3. splitting a budget
    "learn.budget.title": "{number}. 分配预算：Kaplan 与 Chinchilla",
    "learn.budget.p1": (
        "训练大约花费 C = 6ND FLOPs，所以同一笔预算要在更大的模型和更多的 token 之间取舍。Kaplan 等拟合出 "
        "**N_opt ∝ C_min^{p_N}**（表 6）：新增算力大多投向参数，token 只按 C^{p_D} 增长。Hoffmann 等（2022）"
        "用三种方法得到 **N_opt ∝ C^a，且 a 接近 0.5**（表 2：a = {approaches}）：两者同步增长，每参数约 {tpp} 个 token。"
        "Besiroglu 等对第三种方法的重新拟合给出 a = {a_epoch}。"
    ),
    "learn.budget.c": "算力预算 C（FLOPs）",
    "learn.budget.kaplan": "Kaplan 2020，表 6",
    "learn.budget.hoffmann": "Hoffmann 2022，论文原值",
    "learn.budget.epoch": "Besiroglu 2024（Epoch）",
    "learn.budget.p2": (
        "在前沿规模的预算下，两者差距很大。2020–2021 年的大模型（{big_models}）"
        "训练的 token 数为 {most_tokens} 或更少；Chinchilla 用与 Gopher 相同的算力训练了 {chin_n} 参数、{chin_d} token 的模型，并超过了 Gopher"
        "（Hoffmann 等，表 1 与第 4 节）。把鼠标移到菱形上，可以看到每个模型的每参数 token 数。"
    ),
    "learn.budget.p3": (
        "两者为何不一致：Pearce 与 Song（2024）指出，只计**非嵌入**参数、并且只研究**小**模型（嵌入层占总参数比例很大）"
        "会把 Chinchilla 定律本身扭曲成接近 Kaplan 的指数。Porian 等（2024）复现了 Kaplan 的指数，并逐步消除差距："
        "计入**最后一层的 FLOPs**、缩短小模型的**预热（warmup）**、在每个规模上**调好优化器**（学习率、批大小、AdamW 的 β2）。"
    ),
    "learn.budget.caption": (
        "计算最优 N 随算力的变化。虚线：Kaplan 公布的趋势，对应在临界批大小下训练的 FLOP 预算（C_min = C/2）；"
        "实线：Chinchilla 形式的定律。菱形：知名模型，位于 C = 6ND 处（data/models.csv）。"
    ),
    "learn.budget.link": "在「最优前沿」中打开这个预算",
    # 4. fitting, and a trap
    "learn.fitting.title": "{number}. 拟合与陷阱",
    "learn.fitting.p1": (
        "许多教程用对数线性回归拟合 **Performance = α·N^β·D^γ·C^δ**，数据就是类似这样的三个实验。三行数据固然太少，"
        "但真正的问题在于：从一行到下一行，N、D、C 都同步增大十倍，它们的对数是共线的。这些实验只能确定 "
        "**{total} 个常数中的 {identified} 个**（一个水平和一个斜率），其余的取什么值都可以。"
        "（表中的 C 甚至不等于 6ND，旁边一列给出了 6ND。）"
    ),
    "learn.fitting.b_n": "N 的指数 β（实验只确定 β + γ，γ 随之而定）",
    "learn.fitting.live": (
        "取 β = {b_n}、γ = {b_d}、α = {k} 时，拖动滑块，拟合值一列纹丝不动。离开这些实验的预测却会变化："
        "在 {small_d} 个 token 上训练的 {big_n} 模型得分 **{big_model}**，在 {big_d} 个 token 上训练的 {small_n} 模型得分 **{long_run}**。"
    ),
    "learn.fitting.p2": (
        "因此最小二乘有无穷多个误差完全相同的解。numpy 的 `lstsq` 默默返回其中之一，即系数最小的那个"
        "（只拟合 N 和 D 时 β = γ = {lstsq}）。本应用的拟合器会删去共线的列，只对 N 报告 β = {ours}，并说明删去了哪些列。"
        "把 C 作为第四列时，有 {free} 个方向是自由的。"
    ),
    "learn.fitting.p3": (
        "要确定这条定律，就要让 N 和 D 独立变化：同样三个规模与同样三个 token 数交叉组合（{runs} 个实验，即空心圆），"
        "可以确定 α·N^β·D^γ 中 **3 个常数的 {grid_nd} 个**。再把 C = 6ND 作为第四列，仍然只能确定 4 个中的 {grid_ndc} 个："
        "C 的指数永远无法与 β、γ 分开，所以当 C = 6ND 时不要把 C 放进去。"
    ),
    "learn.fitting.caption": (
        "由滑块选定的拟合在 N × D 上的预测指标。每种选择都同样好地穿过教程的三个实验（菱形，位于对角线上）；"
        "离开对角线，等高线随滑块转动。"
    ),
    "learn.fitting.link": "在「拟合你的实验」中拟合教程示例",
    "learn.fitting.source": "教程中的示例，随应用提供为 data/tutorial_example.csv（来源说明见 data/README.md）",
    # 5. how far can you trust it
    "learn.trust.title": "{number}. 外推能走多远？",
    "learn.trust.p1": (
        "用小实验拟合出的定律，常被用来预测大得多的模型。要检验效果，可以把大实验藏起来：只用某个算力截断值以下的实验拟合，"
        "再把预测与截断值以上的实验比较。这里用的是合成示例（{budgets} 个算力预算上的 {runs} 个实验，"
        "由 Besiroglu 等的定律加少量噪声生成），因此真实值是已知的（绿色点线）。"
    ),
    "learn.trust.cut": "只拟合低于此值的实验",
    "learn.trust.fitting": "正在拟合截断值以下的定律并进行自助法重采样……",
    "learn.trust.live": (
        "用 **{n_train} 个实验**拟合，最大到 C = {largest} FLOPs。95% 预测带的半宽：在最大的拟合实验处为 ±{w0}%，"
        "超出 10 倍处 ±{w1}%，100 倍处 ±{w2}%，1000 倍处 ±{w3}%。留出的 {held} 个实验中有 **{inside} 个**落在各自的 95% 预测带内。"
    ),
    "learn.trust.p2": (
        "这些带来自残差自助法：把残差打乱后重新拟合定律 {boot} 次，这些重拟合结果的离散程度加上实验间的噪声，就构成了预测带。"
        "预测带随距离变宽，因为指数上的微小误差每跨过一个数量级都会放大。移动截断值：拟合用的预算越少，拟合的定律离真实值越远，"
        "预测带也越宽。"
    ),
    "learn.trust.p3": (
        "预测带窄并不等于有保证：它只覆盖所拟合的函数形式能表达的情况。「外推预测」页面可以对你自己的实验做同样的分析，"
        "并提供滚动回测，衡量误差和覆盖率随外推距离的变化。"
    ),
    "learn.trust.caption": (
        "沿拟合的计算最优前沿的损失，附 50/80/95% 预测带与 95% 置信带。圆点：参与拟合的实验；菱形：留出的实验；"
        "绿色点线：同一批模型的真实损失。"
    ),
    "learn.trust.link": "在「外推预测」中打开这个截断值",
    # 6. batch size and learning rate
    "learn.hparams.title": "{number}. 批大小与学习率",
    "learn.hparams.p1": (
        "除了 N 和 D，一次训练还需要确定批大小和学习率，它们同样随规模变化。Kaplan 等发现了**临界批大小** "
        "B_crit(L) = B_\\*/L^(1/α_B)，其中 B_\\* = {B_star} 个 token，α_B = {alpha_B}：低于它时，批大小翻倍几乎能让所需步数减半；"
        "远高于它时，更大的批主要是在浪费算力。B_crit 取决于达到的损失，而与模型规模无关；损失每下降约 {drop}%，它就翻一倍。"
    ),
    "learn.hparams.p2": (
        "DeepSeek（2024）直接针对算力预算拟合了最优学习率和批大小：**η_opt = {lr_pre}·C^{lr_exp}**，"
        "**B_opt = {b_pre}·C^{b_exp} 个 token**。规模越大，批越大、学习率越小，但变化很慢：算力增加 {growth} 倍，"
        "B_opt 变为 {b_factor} 倍，η_opt 变为 {lr_factor} 倍。他们报告在这些数值附近有一片较宽的近似最优区域。"
    ),
    "learn.hparams.p3": (
        "用于规划时：按 B_opt(C) 取批大小（换算成序列数要除以上下文长度），检查它没有远超预期损失下的 B_crit，"
        "再以 η_opt 为起点做小范围的学习率搜索。Kaplan 的损失是在 WebText2 上用 GPT-2 分词器测得的，DeepSeek 的 C "
        "按每 token 非嵌入 FLOPs 乘以 token 数计算：迁移到别的设置时，应借鉴趋势，而不是照搬具体数值。"
    ),
    "learn.hparams.c": "算力预算 C（FLOPs）",
    "learn.hparams.live": (
        "当 C = {c} FLOPs 时：DeepSeek 的 B_opt = **{batch} 个 token**（{sequences} 条长度为 {seq_len} 的序列），"
        "η_opt = **{lr}**。此时 Kaplan 的 L(C_min) 为 {loss} nats/token，对应 B_crit = **{crit} 个 token**。"
    ),
    "learn.hparams.caption": (
        "上：DeepSeek 的最优批大小 B_opt(C)，以及在 Kaplan 的 L(C_min) 对该算力所预测的损失下的临界批大小（C_min = C/2）。"
        "下：DeepSeek 的最优学习率。两者的数据、分词器和算力口径都不同：请比较斜率。"
    ),
    "learn.plan_link": "用这些设置规划一次训练",
    "learn.frontiers_link": "在「最优前沿」中打开这个预算",
    "learn.frontiers_page": "在「最优前沿」中比较各定律",
    # 7. beyond loss
    "learn.beyond.title": "{number}. 损失之外",
    "learn.beyond.intro": (
        "基本定律没有涵盖的三件事，各配一张图：数据用完时会怎样，模型训练完之后还要花多少，"
        "以及为什么平滑下降的损失看起来会像突然出现的新能力。"
    ),
    "learn.beyond.topic": "主题",
    "learn.repeat.title": "重复数据",
    "learn.repeat.p1": (
        "当独有数据用完时，训练就会重复看到同样的 token。Muennighoff 等（2023）把重复的 token 记为比新 token 价值更低："
        "D′ = U + U·R_D\\*·(1 − e^(−R/R_D\\*))，其中 U 为独有 token 数，R 为第一轮之后的重复次数，R_D\\* = {r_d}。"
        "重复 {epochs} 轮时，重复数据的价值仍有新数据的 {four}%；超过约 {cap} 轮后收益逐渐消失，D′ 永远不会超过独有 token 数的 {cap} 倍。"
        "超出数据所能支撑的参数贬值得更快（R_N\\* = {r_n}）。"
    ),
    "learn.repeat.p2": (
        "在预算固定、独有数据又很少时，最优分配会改变。图中给出该预算等算力线上各个模型规模的损失："
        "实线为使用现有独有 token 的情形，虚线为始终使用新数据的情形。这些常数是在 C4 上与其自身的 E、A、B、α、β 一起拟合的。"
    ),
    "learn.repeat.c": "算力预算 C（FLOPs）",
    "learn.repeat.u": "独有 token 数 U",
    "learn.repeat.live": (
        "在 {u} 个独有 token 和 {c} FLOPs 下，最优方案用 **{d} 个 token** 训练 **{n}** 参数的模型"
        "（{epochs} 轮；平均每个 token 的价值相当于新 token 的 {worth}%），损失为 {loss} nats/token。"
        "若始终使用新数据：{n_fresh} 参数、{d_fresh} 个 token，损失 {loss_fresh}。"
    ),
    "learn.repeat.caption": (
        "在 Muennighoff 等的数据受限定律下，同一算力预算上损失随模型规模的变化（C = 6ND 决定 token 数）；圆点：每条曲线的最优模型。"
    ),
    "learn.inference.title": "考虑推理的规模选择",
    "learn.inference.p1": (
        "计算最优模型是把损失*训练*到给定值最便宜的模型，但部署后的模型每处理一个 token 还要花约 2N FLOPs。"
        "Sardana 等（2024）在所有达到同一损失的模型中，最小化训练加推理的总量 6N·D_train + 2N·D_inference："
        "当模型要处理大量 token 时，用更多数据训练的更小模型更划算。"
    ),
    "learn.inference.p2": (
        "图中使用 {law}。曲线上每一点都达到目标损失；虚线只计训练（其最小值就是计算最优模型），实线加上了推理。"
    ),
    "learn.inference.loss": "目标损失（nats/token）",
    "learn.inference.d": "模型生命周期内的推理 token 数",
    "learn.inference.live": (
        "目标损失为 {loss}、推理 {d_inf} 个 token 时：计算最优为 {n0} 参数、{d0} 个 token；计入推理后，"
        "最便宜的是 **{n}** 参数、**{d} 个 token**（每参数 {ratio} 个 token），总 FLOPs 节省 **{saving}%**。"
    ),
    "learn.inference.caption": (
        "达到目标损失所需的 FLOPs 随模型规模的变化（每个规模只用刚好够的 token 训练）：只计训练（虚线）与训练加推理（实线）；圆圈标出最小值。"
    ),
    "learn.emergence.title": "涌现能力",
    "learn.emergence.p1": (
        "有些能力似乎在某个规模突然出现。Schaeffer 等（2023）认为这在很大程度上源于评价指标：如果模型在每个正确 token 上"
        "给出的概率为 p = e^(−L)，那么长度为 k 个 token 的答案完全正确的概率是 p^k = e^(−kL)。在每 token 损失 L 降到约 1/k "
        "以下之前，它几乎为零，随后升到 1，而 L 本身一直是平滑下降的。"
    ),
    "learn.emergence.p2": (
        "这里把答案的玩具损失取为规模能消除的那部分损失 L − E，沿 Besiroglu 等的计算最优前沿计算。精确匹配（红线）"
        "在好几个数量级内保持平坦，随后才开始上升，这正是图中“涌现”能力的样子；"
        "而单 token 准确率 p（虚线）和 token 编辑距离 k(1 − p)（对错误呈线性的指标）都平滑变化。"
        "答案越长，跳变出现在越大的算力处，但模型本身并没有因此变得更难预测。"
    ),
    "learn.emergence.k": "答案长度 k（token）",
    "learn.emergence.live": (
        "当 k = {k} 时，精确匹配在 C ≈ {c1} FLOPs 之前一直低于 1%，尽管此时单 token 准确率已达 {p1}%；之后它{reach}。"
        "若一组模型的规模止步于 {c1} FLOPs 之前，就完全看不到这种能力的迹象，而每 token 损失始终以同样平滑的方式下降。"
    ),
    "learn.emergence.half": "在 {c50} FLOPs 处达到 50%",
    "learn.emergence.not_half": "到 {c_max} FLOPs 时仍低于 50%",
    "learn.emergence.visible": (
        "当 k = {k} 时，在图中最小的预算处精确匹配就已达到 {start}%：答案这么短时，该指标与单 token 准确率同步变化，"
        "看不出任何突变。请增加答案长度。"
    ),
    "learn.emergence.outside": (
        "当 k = {k} 时，在图中整个范围内（直到 {c_max} FLOPs）精确匹配都低于 1%：无论每 token 损失下降得多么平滑，"
        "这种能力看起来都不存在。"
    ),
    "learn.emergence.caption": (
        "上：沿前沿的玩具每 token 损失（在对数坐标上平滑）。下：k 个 token 的精确匹配（红线）与单 token 准确率（虚线）；"
        "阴影：精确匹配低于 1%、能力看似不存在的区间；圆圈：1% 与 50% 处。"
    ),
    "learn.emergence.link": "在「最优前沿」中打开这条定律的前沿",
    # figures
    "learn.fig.linear_axes": "线性坐标，x 最大到 {max}",
    "learn.fig.log_axes": "双对数坐标",
    "learn.fig.with_offset": "带偏移的幂律：y = a·xᵇ + c",
    "learn.fig.pure": "纯幂律：y = a·xᵇ",
    "learn.fig.floor": "不可约部分 c",
    "learn.fig.other_sizes": "其他规模",
    "learn.fig.data_limited": "L(∞, D)，数据受限",
    "learn.fig.model_floor": "L(N, ∞)，其下限",
    "learn.fig.this_size": "模型规模 N = {n}",
    "learn.fig.enough_data": "更多数据不再有帮助",
    "learn.fig.kaplan_title": "固定模型规模时损失随数据的变化",
    "learn.fig.budget": "预算",
    "learn.fig.allocation_title": "计算最优模型规模",
    "learn.fig.metric": "预测指标",
    "learn.fig.grid_design": "3×3 网格设计",
    "learn.fig.tutorial_runs": "教程中的三个实验",
    "learn.fig.collinear_title": "众多同样好的拟合之一",
    "learn.fig.truth": "真实值：生成这些实验的定律",
    "learn.fig.trust_title": "在截断值以下拟合，在其上检验",
    "learn.fig.token_loss": "答案中每个 token 的损失",
    "learn.fig.accuracy": "准确率",
    "learn.fig.token_accuracy": "单 token 准确率 p = e^(−L)",
    "learn.fig.exact_match": "精确匹配（{k} 个 token）",
    "learn.fig.marks": "精确匹配 1% 与 50% 处",
    "learn.fig.nats": "损失（nats/token）",
    "learn.fig.batch": "批大小（token）",
    "learn.fig.learning_rate": "学习率",
    "learn.fig.deepseek_batch": "DeepSeek：最优批大小 B_opt(C)",
    "learn.fig.kaplan_batch": "Kaplan 在 L(C_min) 处的 B_crit",
    "learn.fig.deepseek_lr": "DeepSeek：最优学习率 η_opt(C)",
    "learn.fig.fresh": "始终使用新数据",
    "learn.fig.repeated": "使用 U 个独有 token",
    "learn.fig.repeat_title": "同一预算下损失随模型规模的变化",
    "learn.fig.training_flops": "只计训练",
    "learn.fig.total_flops": "训练 + 推理",
    "learn.fig.flops": "FLOPs（训练，或训练加推理）",
    "learn.fig.inference_title": "达到目标损失所需的 FLOPs",
}
