"""Attribution: journey credit by rules, time-decay, Markov, Shapley and hybrids."""
