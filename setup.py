"""wiretrace: trace reused news-wire copy across outlets, on Apache Beam."""

from setuptools import find_packages, setup

setup(
    name="wiretrace",
    version="0.1.0",
    description="Find passages that news outlets share and write provenance maps (Apache Beam batch job).",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["pipeline", "pipeline.*", "transforms", "transforms.*", "report", "report.*"]),
    package_data={"report": ["templates/*.j2", "static/*.css", "static/js/*.js"]},
    install_requires=[
        "apache-beam>=2.77,<3",
        "datasketch>=2.0,<3",
        "xxhash>=3.4,<5",
        "PyYAML>=6.0,<7",
        "numpy>=1.24",
        "scipy>=1.10",
        "rapidfuzz>=3.6,<4",
        "Jinja2>=3.1,<4",
        "charset-normalizer>=3.3,<4",
        "trafilatura>=2.0,<3",
        "lxml_html_clean>=0.4",  # trafilatura (via jusText) imports lxml.html.clean, a separate package since lxml 5.2
        "warcio>=1.7,<2",
        "orjson>=3.9,<4",
        "tqdm>=4.60,<5",
    ],
    extras_require={
        "embeddings": ["wordllama>=0.4,<0.5"],
        "test": ["pytest>=8", "hypothesis>=6.100", "ruff>=0.5", "playwright>=1.40", "wordllama>=0.4,<0.5"],
    },
    entry_points={"console_scripts": ["wiretrace = pipeline.cli:main"]},
)
