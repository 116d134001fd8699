# placeholder: filled in by the pipeline-core work
