import streamlit as st

from ui.i18n import labels, t
from ui.layout import setup_page
from ui.plan_controls import RULES, plan_inputs
from ui.plan_view import (
    answer,
    data_section,
    hparams_section,
    inference_section,
    make_plan,
    memory_section,
    shape_section,
    table_section,
)

lang = setup_page("plan.title", RULES)
text = labels(lang)
st.title(t("plan.title"))
st.caption(t("plan.caption"))

# The answer is drawn above the inputs (filled in once they are read): on a phone, where columns
# stack in source order, it is the first thing on the screen.
answer_box = st.container()
inputs = plan_inputs()
for problem in inputs.problems:
    st.error(problem, icon=":material/error:")
plan, problem = make_plan(inputs)
with answer_box:
    if plan is None:
        st.error(problem, icon=":material/error:")
        st.stop()
    answer(plan, inputs)

st.divider()
shape_section(plan)
memory_section(plan, text)
hparams_section(plan)
data_section(plan)
inference_section(plan, text)
table_section(plan, inputs)
