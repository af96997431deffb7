// UIMessageStream module.
