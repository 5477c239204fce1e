package report

// Counts is how many scenarios ended each way; Total = Passed + Failed + Skipped. A scenario whose outcome
// is neither passed nor skipped (failed, or an outcome a scenario should not have) counts as failed: a
// report never passes what did not pass.
type Counts struct {
	Total, Passed, Failed, Skipped int
}

// Counts counts the scenarios of every feature. A run that could not start has none.
func (r *Run) Counts() Counts {
	var c Counts
	for _, f := range r.Features {
		c.add(f.Counts())
	}
	return c
}

// Counts counts the feature's scenarios.
func (f *Feature) Counts() Counts {
	var c Counts
	for _, s := range f.Scenarios {
		c.Total++
		switch s.verdict() {
		case Passed:
			c.Passed++
		case Skipped:
			c.Skipped++
		default:
			c.Failed++
		}
	}
	return c
}

func (c *Counts) add(o Counts) {
	c.Total += o.Total
	c.Passed += o.Passed
	c.Failed += o.Failed
	c.Skipped += o.Skipped
}

// verdict is how every writer counts the scenario: Passed, Skipped, or Failed for anything else.
func (s *Scenario) verdict() Outcome {
	if s.Outcome == Passed || s.Outcome == Skipped {
		return s.Outcome
	}
	return Failed
}

// failingStep is the step that made the scenario fail: its first failed, undefined or pending step. It is
// nil when no step did (a hook failed the scenario).
func (s *Scenario) failingStep() *Step {
	for _, st := range s.Steps {
		switch st.Outcome {
		case Failed, Undefined, Pending:
			return st
		}
	}
	return nil
}

// lastExchange is the last request the scenario sent: the last exchange of the last step that sent one.
// It is what a reader of a failure wants to see first. nil when the scenario sent none.
func (s *Scenario) lastExchange() *Exchange {
	for i := len(s.Steps) - 1; i >= 0; i-- {
		if ex := s.Steps[i].Exchanges; len(ex) > 0 {
			return ex[len(ex)-1]
		}
	}
	return nil
}

// failure says on one line why a failed scenario failed: its Reason, else what its failing step says.
func (s *Scenario) failure() string {
	if s.Reason != "" {
		return OneLine(s.Reason)
	}
	st := s.failingStep()
	switch {
	case st == nil:
		return "the scenario failed, but none of its steps did"
	case st.Error != "":
		return OneLine(st.Error)
	case st.Outcome == Undefined:
		return OneLine("undefined step: " + st.Keyword + st.Text)
	case st.Outcome == Pending:
		return OneLine("pending step: " + st.Keyword + st.Text)
	}
	return OneLine("failed step: " + st.Keyword + st.Text)
}

// skipReason says why a skipped scenario was skipped.
func (s *Scenario) skipReason() string {
	if s.Reason != "" {
		return s.Reason
	}
	return "the target does not offer it"
}
