"""Wrong answers of the bean and sentiment tabs, saved with their right label into the visitor's own data
set: the store (store.py, no Gradio) and the "this answer is wrong" accordion both tabs add
(wrong_answer.py); strings.py its strings. A layer below the tabs (studio/__init__.py): the Train tab
offers those data sets (studio/train/own_data.py) and reviews a run's labels itself (studio/train/review.py).
"""
