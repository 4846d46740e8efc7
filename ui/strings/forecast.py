"""Strings of the Extrapolate page's forecast (candidates, backtest, calibration, freezing), of the
OLMo ladder data set and of replicates/copies in the data controls."""

EN: dict[str, str] = {
    "forecast.caption": (
        "What loss will a bigger run reach? Several law forms are fitted to your runs, each is backtested "
        "on them (fit below a cutoff, predict the runs above), the best is recommended, and its bands are "
        "calibrated by the coverage the backtest measured."
    ),
    "forecast.settings": "Data and settings",
    "forecast.form": "Form to forecast with",
    "cand.auto": "Recommended by the backtest",
    "cand.chinchilla": "Chinchilla (free: E, A, B, α, β)",
    "cand.chinchilla_tied": "Chinchilla with α = β",
    "cand.chinchilla_fixed_e": "Chinchilla with E fixed",
    "cand.kaplan": "Kaplan (joint form)",
    "short.chinchilla": "Free",
    "short.chinchilla_tied": "α = β",
    "short.chinchilla_fixed_e": "E fixed",
    "short.kaplan": "Kaplan",
    "target.rows": "a target row of the table",
    "forecast.target_row": "Target row",
    "forecast.answer": "Forecast for {target}",
    "forecast.predicted": "Predicted loss (nats/token)",
    "forecast.predicted_help": "The chosen form's fitted law at the target's N and D.",
    "forecast.band": "{level}% prediction band",
    "forecast.band_help": "Where a single new run at the target should land, {level}% of the time once calibrated.",
    "forecast.form_recommended": "Form: **{form}**, recommended by the backtest on your runs.",
    "forecast.form_picked": "Form: **{form}** (your choice; the backtest recommends {recommended}).",
    "forecast.cal_backtest": "Bands calibrated by the backtest ({n} runs scored below {k} cutoffs).",
    "forecast.cal_fallback": (
        "Bands not calibrated: the backtest had {k} cutoffs with runs above them and needs {need}, so these are "
        "the double-bootstrap bands."
    ),
    "forecast.cal_floor": "No band is narrower than the run-to-run noise of the replicates (σ = {sigma}).",
    "score.in80": "inside the 80% band",
    "score.in95": "inside the 95% band, outside the 80% band",
    "score.outside": "outside the 95% band",
    "score.line": "Observed {observed}: error {pct}% of the prediction ({nats} nats/token), {where}.",
    "col.error_pct": "Error (%)",
    "col.error_nats": "Error (nats)",
    "fig.forecast_title": "Forecast along the compute-optimal frontier of {form}, with calibrated bands",
    "fig.target_forecast": "Targets: forecast with 80% / 95% bands",
    "fig.target_observed": "Targets: observed",
    "fig.band_range": "band",
    "forecast.candidates": "Candidate forms, compared by backtest",
    "forecast.rule": (
        "Rule: fit each form below several compute cutoffs and predict the runs above. The recommended form has "
        "the lowest mean |error| of log-loss in the farthest distance group with at least {k} runs scored; among "
        "forms within one standard error of it, the one with the fewest constants. The cutoffs leave at least 60% "
        "of the runs below them, so the backtest's fits resemble the final one."
    ),
    "forecast.decided": (
        "Recommended: **{form}**, decided by the {n} runs scored {lo}–{hi} decades of compute beyond their fits."
    ),
    "forecast.undecided": (
        "Too few runs to backtest (fewer than {need} cutoffs with runs above them): the default form, {form}, is used."
    ),
    "col.n_constants": "Constants fitted",
    "col.decisive_error": "Error at that distance",
    "col.se": "± SE vs best",
    "col.within": "Within noise",
    "col.coverage_raw": "Backtest {level}% coverage (uncalibrated)",
    "forecast.recommended_short": "recommended",
    "forecast.backtest_by_distance": "Backtest by distance: error (% of loss · nats/token) and 80% / 95% coverage of each form's uncalibrated bands.",
    "col.distance": "Decades beyond the fit",
    "col.scored": "Runs scored",
    "col.form_error": "{form}: error",
    "col.form_coverage": "{form}: 80% / 95%",
    "fig.candidates_error": "Backtest error against distance",
    "fig.candidates_coverage": "Band coverage (95% solid, 80% dotted)",
    "axis.error_pct": "Mean |error| (% of loss)",
    "axis.coverage_raw": "Coverage of the uncalibrated bands",
    "fig.profile_objective": "Best fit with E held (objective)",
    "fig.profile_prediction": "Prediction at {target}",
    "fig.profile_allocation": "N_opt, D_opt (dotted) at C = {c}",
    "axis.fixed_e": "Irreducible loss E (nats/token)",
    "axis.objective": "Huber objective",
    "axis.count": "Parameters or tokens",
    "forecast.fixed_e": "E for the fixed-E form",
    "forecast.fixed_e_placeholder": "empty: not compared",
    "forecast.fixed_e_help": (
        "The irreducible loss you believe in (e.g. from a bigger study). With a value, the Chinchilla form with E "
        "held there is one more candidate; it is a prior belief, so it is never fitted from these runs."
    ),
    "forecast.fixed_e_too_high": (
        "E = {e} is at or above the lowest loss fitted ({low}): no law with that floor passes below every run. "
        "The fixed-E form is left out; enter a smaller E."
    ),
    "forecast.needs_e": "The fixed-E form needs a value for E: enter one (showing the recommended form meanwhile).",
    "forecast.profile": "How the forecast depends on E",
    "forecast.profile_show": "Show the fixed-E profile",
    "forecast.profile_help": "Refit the Chinchilla form with E held at each of 25 values (all in one batch).",
    "forecast.profile_caption": (
        "Solid line: your E; dotted: the free fit's E ({free}). A flat objective means the runs hardly pin E down: "
        "the prediction and the allocation then rest on the E you choose."
    ),
    "progress.profile": "Fitting the form at each E…",
    "forecast.calibration": "How the bands are calibrated",
    "forecast.cal_method": (
        "Each run the backtest scored was predicted by a fit that never saw it. Measured in units of its own band, "
        "how far out it fell gives a scale factor per distance (split-conformal: the factor that would have covered "
        "80% or 95% of the backtest's runs). The {form} bands are multiplied by the factor at each target's distance, "
        "interpolated between the groups and held flat beyond them."
    ),
    "col.mean_distance": "Mean decades",
    "col.factor": "{level}% factor",
    "col.factor_points": "Runs behind the {level}% factor",
    "forecast.cal_fallback_long": (
        "The backtest had {k} cutoffs with runs above them; calibrating needs at least {need}. The bands are the "
        "residual bootstrap's, widened by its double-bootstrap check, as they are."
    ),
    "forecast.replicates": (
        "{k} groups of replicates ({n} runs at the same N and D): run-to-run noise σ = {sigma} in log-loss (pooled "
        "within groups), beside σ ≈ {resid} from the fit's residuals."
    ),
    "forecast.replicates_floor": "It is the bands' floor: no prediction band is narrower than this noise.",
    "forecast.replicates_few": "With fewer than {need} groups it is shown, not used.",
    "forecast.no_replicates": "No replicates (runs at the same N and D): run-to-run noise σ ≈ {resid} from the fit's residuals.",
    "freeze.button": "Freeze this forecast",
    "freeze.help": "A link and a JSON file holding the form, its constants, the target, the prediction with its bands, the date and a SHA-256 of the runs (not the runs). Open it after the big run to score it.",
    "freeze.done": "Frozen on {date} (UTC). Keep this link or the JSON file; open it after the run and enter the observed loss.",
    "freeze.download": "Download the frozen forecast (JSON)",
    "freeze.bad_link": "This link's frozen forecast cannot be shown: {reason}. Showing the live page instead.",
    "freeze.title": "Frozen forecast {target}",
    "freeze.read_only": "Read-only: frozen on {date} (UTC); nothing here is recomputed.",
    "freeze.form": "Form",
    "freeze.constants": "Constants",
    "freeze.target": "Target",
    "freeze.calibration": "Bands",
    "freeze.cal_backtest": "calibrated by the backtest",
    "freeze.cal_bootstrap": "double-bootstrap (not calibrated: too few runs to backtest)",
    "freeze.runs": "Runs fitted",
    "freeze.runs_value": "{n} runs, SHA-256 {sha}",
    "freeze.date": "Frozen on (UTC)",
    "freeze.observed": "Observed loss of the run (nats/token)",
    "freeze.observed_help": "Enter the loss the run reached to score the forecast.",
    "freeze.live": "Open the live Extrapolate page",
    "progress.candidates": "Fitting and backtesting each candidate form…",
    "source.olmo": "OLMo ladder (Bhagia et al. 2024; 30 runs, 2 targets)",
    "source.olmo_credit": (
        "Data: AI2's OLMo model ladder (Bhagia et al. 2024, “Establishing Task Scaling Laws via Compute-Efficient "
        "Model Ladders”, arXiv 2412.04403), github.com/allenai/OLMo-ladder, Apache-2.0. Loss: C4 validation "
        "cross-entropy; rows marked `target` (7B-4T, 13B-5T) are targets, never fitted."
    ),
    "data.targets_set_aside": "{n} target row(s) set aside (marked `target`: predicted on Extrapolate, never fitted).",
    "data.copies": "{n} exact copies (same N, D and loss as an earlier row)",
    "data.copies_help": "Rows with the same N and D but another loss are replicates and always kept; exact copies are probably pasted twice.",
    "copies.drop": "drop them",
    "copies.keep": "keep them as runs",
}

ZH: dict[str, str] = {
    "forecast.caption": (
        "更大的训练会达到怎样的损失？本页把几种定律形式拟合到你的实验上，逐一在这些实验上回测（在某个算力截断以下拟合，"
        "预测截断以上的实验），推荐表现最好的形式，并按回测实测的覆盖率校准其区间。"
    ),
    "forecast.settings": "数据与设置",
    "forecast.form": "用于预测的形式",
    "cand.auto": "回测推荐的形式",
    "cand.chinchilla": "Chinchilla（自由：E、A、B、α、β）",
    "cand.chinchilla_tied": "Chinchilla，α = β",
    "cand.chinchilla_fixed_e": "Chinchilla，固定 E",
    "cand.kaplan": "Kaplan（联合形式）",
    "short.chinchilla": "自由",
    "short.chinchilla_tied": "α = β 形式",
    "short.chinchilla_fixed_e": "固定 E",
    "short.kaplan": "Kaplan 形式",
    "target.rows": "表格中的目标行",
    "forecast.target_row": "目标行",
    "forecast.answer": "{target} 的预测",
    "forecast.predicted": "预测损失（nats/token）",
    "forecast.predicted_help": "所选形式拟合出的定律在目标 N、D 处的取值。",
    "forecast.band": "{level}% 预测区间",
    "forecast.band_help": "校准后，目标处一次新实验的损失落在此区间内的概率约为 {level}%。",
    "forecast.form_recommended": "形式：**{form}**，由你的实验上的回测推荐。",
    "forecast.form_picked": "形式：**{form}**（你的选择；回测推荐 {recommended}）。",
    "forecast.cal_backtest": "区间已按回测校准（{k} 个截断之上共评分 {n} 个实验）。",
    "forecast.cal_fallback": "区间未校准：回测只有 {k} 个截断之上有实验，至少需要 {need} 个，因此这里是双重自助法区间。",
    "forecast.cal_floor": "任何区间都不窄于重复实验测得的实验间噪声（σ = {sigma}）。",
    "score.in80": "落在 80% 区间内",
    "score.in95": "落在 95% 区间内、80% 区间外",
    "score.outside": "落在 95% 区间外",
    "score.line": "实测 {observed}：误差为预测值的 {pct}%（{nats} nats/token），{where}。",
    "col.error_pct": "误差（%）",
    "col.error_nats": "误差（nats）",
    "fig.forecast_title": "沿 {form} 计算最优前沿的预测及校准后的区间",
    "fig.target_forecast": "目标：预测值及 80% / 95% 区间",
    "fig.target_observed": "目标：实测值",
    "fig.band_range": "区间",
    "forecast.candidates": "候选形式的回测比较",
    "forecast.rule": (
        "规则：在多个算力截断以下分别拟合每种形式，并预测截断以上的实验。推荐的形式是在至少评分了 {k} 个实验的最远距离组中，"
        "对数损失平均绝对误差最小的形式；在与其相差不超过一个标准误的形式中，选常数最少的一个。各截断以下至少保留 60% 的实验，"
        "使回测中的拟合与最终拟合相近。"
    ),
    "forecast.decided": "推荐：**{form}**，依据是超出各自拟合 {lo}–{hi} 个算力十倍数处评分的 {n} 个实验。",
    "forecast.undecided": "实验太少，无法回测（截断之上有实验的截断少于 {need} 个）：使用默认形式 {form}。",
    "col.n_constants": "拟合的常数个数",
    "col.decisive_error": "该距离处的误差",
    "col.se": "与最佳者之差的标准误",
    "col.within": "在噪声范围内",
    "col.coverage_raw": "回测 {level}% 覆盖率（未校准）",
    "forecast.recommended_short": "推荐",
    "forecast.backtest_by_distance": "按距离的回测：各形式的误差（占损失的 % · nats/token）及其未校准区间的 80% / 95% 覆盖率。",
    "col.distance": "超出拟合的十倍数",
    "col.scored": "评分实验数",
    "col.form_error": "{form}：误差",
    "col.form_coverage": "{form}：80% / 95%",
    "fig.candidates_error": "回测误差随距离的变化",
    "fig.candidates_coverage": "区间覆盖率（实线 95%，点线 80%）",
    "axis.error_pct": "平均绝对误差（占损失的 %）",
    "axis.coverage_raw": "未校准区间的覆盖率",
    "fig.profile_objective": "固定 E 时的最佳拟合（目标函数）",
    "fig.profile_prediction": "{target} 处的预测",
    "fig.profile_allocation": "C = {c} 时的 N_opt、D_opt（点线）",
    "axis.fixed_e": "不可约损失 E（nats/token）",
    "axis.objective": "Huber 目标函数",
    "axis.count": "参数量或 token 数",
    "forecast.fixed_e": "固定 E 形式的 E",
    "forecast.fixed_e_placeholder": "留空：不参与比较",
    "forecast.fixed_e_help": (
        "你所相信的不可约损失（例如来自更大规模的研究）。填入后，E 固定于该值的 Chinchilla 形式将作为又一个候选；"
        "它是先验判断，因此从不由这些实验拟合得出。"
    ),
    "forecast.fixed_e_too_high": (
        "E = {e} 不低于拟合所用的最低损失（{low}）：以它为下限的定律无法从所有实验下方通过。"
        "已不比较固定 E 形式；请输入更小的 E。"
    ),
    "forecast.needs_e": "固定 E 形式需要 E 的取值：请输入（在此之前显示推荐的形式）。",
    "forecast.profile": "预测如何依赖 E",
    "forecast.profile_show": "显示固定 E 的剖面",
    "forecast.profile_help": "在 25 个 E 值上分别固定 E 重新拟合 Chinchilla 形式（一次批量完成）。",
    "forecast.profile_caption": (
        "实线：你的 E；点线：自由拟合的 E（{free}）。目标函数若很平坦，说明这些实验几乎无法确定 E："
        "此时预测与最优分配取决于你选定的 E。"
    ),
    "progress.profile": "正在各个 E 值上拟合……",
    "forecast.calibration": "区间如何校准",
    "forecast.cal_method": (
        "回测中评分的每个实验都由一个没见过它的拟合来预测。以该实验自身区间的宽度为单位，它偏离的程度给出每个距离上的缩放系数"
        "（分割共形法：恰能覆盖回测中 80% 或 95% 实验的系数）。{form} 的区间在每个目标的距离处乘以该系数；"
        "系数在各组之间线性插值，超出范围则保持不变。"
    ),
    "col.mean_distance": "平均十倍数",
    "col.factor": "{level}% 系数",
    "col.factor_points": "{level}% 系数所依据的实验数",
    "forecast.cal_fallback_long": (
        "回测只有 {k} 个截断之上有实验；校准至少需要 {need} 个。区间为残差自助法给出、并经双重自助法检查放宽后的原样区间。"
    ),
    "forecast.replicates": (
        "{k} 组重复实验（{n} 个 N、D 相同的实验）：对数损失上的实验间噪声 σ = {sigma}（组内合并），"
        "拟合残差给出的估计为 σ ≈ {resid}。"
    ),
    "forecast.replicates_floor": "它是区间的下限：任何预测区间都不窄于这一噪声。",
    "forecast.replicates_few": "重复实验少于 {need} 组，仅作展示，不参与计算。",
    "forecast.no_replicates": "没有重复实验（N、D 相同的实验）：由拟合残差估计的实验间噪声 σ ≈ {resid}。",
    "freeze.button": "冻结此预测",
    "freeze.help": "生成一个链接和一个 JSON 文件，其中包含形式、常数、目标、预测值及其区间、日期和实验数据的 SHA-256（不含实验本身）。大规模训练结束后打开它即可评分。",
    "freeze.done": "已于 {date}（UTC）冻结。请保存此链接或 JSON 文件；训练结束后打开并输入实测损失。",
    "freeze.download": "下载冻结的预测（JSON）",
    "freeze.bad_link": "无法显示此链接中冻结的预测：{reason}。改为显示实时页面。",
    "freeze.title": "冻结的预测 {target}",
    "freeze.read_only": "只读：冻结于 {date}（UTC）；此处不做任何重新计算。",
    "freeze.form": "形式",
    "freeze.constants": "常数",
    "freeze.target": "目标",
    "freeze.calibration": "区间",
    "freeze.cal_backtest": "已按回测校准",
    "freeze.cal_bootstrap": "双重自助法区间（实验太少，无法回测，未校准）",
    "freeze.runs": "拟合所用实验",
    "freeze.runs_value": "{n} 个实验，SHA-256 {sha}",
    "freeze.date": "冻结时间（UTC）",
    "freeze.observed": "该实验的实测损失（nats/token）",
    "freeze.observed_help": "输入实验达到的损失，为预测评分。",
    "freeze.live": "打开实时的外推页面",
    "progress.candidates": "正在拟合并回测每种候选形式……",
    "source.olmo": "OLMo 阶梯（Bhagia 等 2024；30 个实验，2 个目标）",
    "source.olmo_credit": (
        "数据：AI2 的 OLMo 模型阶梯（Bhagia 等 2024，“Establishing Task Scaling Laws via Compute-Efficient Model "
        "Ladders”，arXiv 2412.04403），github.com/allenai/OLMo-ladder，Apache-2.0 许可。损失为 C4 验证集交叉熵；"
        "标记为 `target` 的行（7B-4T、13B-5T）是预测目标，从不参与拟合。"
    ),
    "data.targets_set_aside": "已留出 {n} 个目标行（标记为 `target`：在外推页面上预测，从不参与拟合）。",
    "data.copies": "{n} 个完全相同的副本（N、D 与损失都与前面某行相同）",
    "data.copies_help": "N、D 相同但损失不同的行是重复实验，始终保留；完全相同的行多半是被粘贴了两次。",
    "copies.drop": "去掉",
    "copies.keep": "作为实验保留",
}
