"""Does the list work?: on-list against off-list, the trend, the hold-out, the cohorts."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # the page
    "cohorts.guardrail": {
        "en": "These figures measure how well the list works for each group of reps, not how "
        "good any person is. Only totals are shown; small groups are greyed out.",
        "zh": "这些数字衡量的是名单对各类销售群体的效果,而不是评价任何个人。仅显示汇总数据;"
        "样本过少的分组以灰色显示。",
    },
    "cohorts.no_lists": {"en": "No call lists yet.", "zh": "还没有回访名单。"},
    "cohorts.no_period": {
        "en": "Choose a period: a first and a last day (one day: the same day twice).",
        "zh": "请选择时间段:起始日与结束日(单日:两次选择同一天)。",
    },
    "cohorts.tables_scope": {
        "en": "Every filter applies below: period, team, method and level.",
        "zh": "以下内容应用全部筛选条件:时间段、团队、回访方式和级别。",
    },
    "cohorts.holdout_scope": {
        "en": "These two rates honour the period, team and level; not the method filter: a "
        "held-out customer has no visit whose method could be filtered.",
        "zh": "这两个比率应用时间段、团队和级别筛选;不应用回访方式筛选:"
        "对照组客户没有可按方式筛选的回访。",
    },
    "cohorts.no_visits": {
        "en": "No visits match these filters in this period.",
        "zh": "该时间段内没有符合这些筛选条件的回访。",
    },
    "cohorts.period": {"en": "Period", "zh": "时间段"},
    "cohorts.team": {"en": "Team", "zh": "团队"},
    "cohorts.level": {"en": "Level", "zh": "级别"},
    "cohorts.cohort": {"en": "Group", "zh": "分组"},
    "cohorts.reps": {"en": "Reps", "zh": "销售人数"},
    "cohorts.visits": {"en": "Visits", "zh": "回访数"},
    "cohorts.on_list": {"en": "On-list success", "zh": "名单内成功率"},
    "cohorts.off_list": {"en": "Off-list success", "zh": "名单外成功率"},
    "cohorts.on_visits": {"en": "On-list visits", "zh": "名单内回访数"},
    "cohorts.off_visits": {"en": "Off-list visits", "zh": "名单外回访数"},
    "cohorts.lift": {"en": "Relative lift", "zh": "相对提升"},
    "cohorts.p_value": {"en": "p (difference)", "zh": "p 值(差异)"},
    "cohorts.success_rate": {"en": "Visit success rate", "zh": "回访成功率"},
    "cohorts.chart_title": {
        "en": "Visit success on-list vs off-list (95 % intervals)",
        "zh": "名单内与名单外回访成功率(95% 区间)",
    },
    "cohorts.small_note": {
        "en": "Grey: fewer than {n} visits on one side, too few to compare.",
        "zh": "灰色:某一侧回访少于 {n} 次,样本过少,不宜比较。",
    },
    "cohorts.trend": {"en": "Week by week", "zh": "按周趋势"},
    "cohorts.trend_title": {"en": "Success rate per week", "zh": "每周成功率"},
    "cohorts.per_rep": {"en": "Adoption per rep", "zh": "各销售的名单采纳率"},
    "cohorts.adoption": {"en": "Share of visits on the list", "zh": "名单内回访占比"},
    "cohorts.holdout": {
        "en": "Randomised hold-out: the list's causal effect",
        "zh": "随机对照组:名单的因果效果",
    },
    "cohorts.holdout_none": {"en": "No hold-out in this period.", "zh": "该时间段没有对照组。"},
    "cohorts.holdout_listed": {"en": "Ordered within a week: listed", "zh": "一周内下单:名单内"},
    "cohorts.holdout_control": {
        "en": "Ordered within a week: held out",
        "zh": "一周内下单:对照组",
    },
    "cohorts.holdout_effect": {
        "en": "Difference of the two rates (unadjusted)",
        "zh": "两组下单率之差(未调整)",
    },
    "cohorts.holdout_n": {
        "en": "{n} customers",
        "en_one": "1 customer",
        "one_if": "n",
        "zh": "{n} 位客户",
    },
    "cohorts.holdout_ci": {
        "en": "95 % interval {low} to {high} points, p = {p}",
        "zh": "95% 区间 {low} 至 {high} 个百分点,p = {p}",
    },
    "cohorts.on_list_ci": {"en": "On-list success (95 % CI)", "zh": "名单内成功率(95% 区间)"},
    "cohorts.off_list_ci": {"en": "Off-list success (95 % CI)", "zh": "名单外成功率(95% 区间)"},
    "cohorts.points": {"en": "{value} pts", "zh": "{value} 个百分点"},
    "cohorts.holdout_explain": {
        "en": "A random share of each rep's customers (10 % unless an admin set another for "
        "the team) is kept off the lists as a control group. "
        "Among customers the model ranked high enough to list, this compares the share that "
        "ordered within {days} days of being listed with the share that ordered within "
        "{days} days of when they would have been listed.",
        "zh": "每位销售的客户中随机抽取一部分(默认 10%,管理员可按团队调整)作为对照组,不进入名单。"
        "在模型评分足以进入名单的客户中,"
        "比较列入名单后 {days} 天内下单的比例,与对照组在本应列入名单后 {days} 天内下单的比例。",
    },
    "cohorts.holdout_value": {
        "en": "Order value per customer within {days} days: listed {listed}, held out {held}; "
        "difference {difference} (95 % interval {low} to {high})",
        "zh": "{days} 天内每位客户的订单金额:名单内 {listed},对照组 {held};"
        "差值 {difference}(95% 区间 {low} 至 {high})",
    },
    "cohorts.holdout_verdict.helps": {
        "en": "The list works: customers on it ordered more often than the held-out ones, by "
        "{effect} percentage points (95 % interval {low} to {high}, p = {p}).",
        "zh": "名单有效:名单内客户的下单比例比对照组高 {effect} 个百分点"
        "(95% 区间 {low} 至 {high},p = {p})。",
    },
    "cohorts.holdout_verdict.unclear": {
        "en": "Not clear yet: the difference is {effect} percentage points, but its 95 % "
        "interval runs from {low} to {high} (p = {p}), so no effect at all fits the data as "
        "well. More weeks of lists will tell.",
        "zh": "尚无定论:差异为 {effect} 个百分点,但 95% 区间为 {low} 至 {high}(p = {p}),"
        "完全无效果同样符合数据。需要更多周的名单数据。",
    },
    "cohorts.holdout_verdict.hurts": {
        "en": "Customers on the list ordered less often than the held-out ones, by {effect} "
        "percentage points (95 % interval {low} to {high}, p = {p}). Check the model and how "
        "the list is used.",
        "zh": "名单内客户的下单比例反而比对照组低 {effect} 个百分点"
        "(95% 区间 {low} 至 {high},p = {p})。"
        "请检查模型及名单的使用方式。",
    },
    # the rows of the on-list against off-list table
    "cohort.overall": {"en": "All", "zh": "总计"},
    "cohort.tenure": {"en": "Tenure", "zh": "入职年数"},
    "cohort.age": {"en": "Age", "zh": "年龄段"},
    "cohort.gender": {"en": "Gender", "zh": "性别"},
}
