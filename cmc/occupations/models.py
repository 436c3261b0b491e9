"""Occupations (O*NET-SOC and SOC 2018), their tasks, skills, knowledge and wages."""
